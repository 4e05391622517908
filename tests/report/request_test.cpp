// GET /api/reports' query without the HTTP: each parameter's checks, and the rendered bytes, type and file name.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.hpp"
#include "report/report_request.hpp"

namespace edgeml::report {
namespace {

constexpr double kNow = 1'700'003'600;

std::string error_field(std::optional<std::string> format, std::optional<std::string> from,
                        std::optional<std::string> to, std::optional<std::string> scope) {
  try {
    parse_report_request(format, from, to, scope, kNow);
  } catch (const FieldError& e) {
    return e.field();
  }
  return "";
}

TEST(ReportRequest, ParsesTimesScopesAndFormats) {
  ReportRequest r = parse_report_request("xlsx", "2023-11-14T22:13:20Z", "1700003600", "group:lab", kNow);
  EXPECT_EQ(r.format, ReportFormat::xlsx);
  EXPECT_EQ(r.range.from_s, 1'700'000'000);
  EXPECT_EQ(r.range.to_s, 1'700'003'600);
  EXPECT_EQ(to_string(r.scope), "group:lab");
  ReportRequest d = parse_report_request("csv", std::nullopt, std::nullopt, std::nullopt, kNow);
  EXPECT_EQ(d.range.to_s, kNow);
  EXPECT_EQ(d.range.from_s, kNow - 86400);  // the last 24 hours
  EXPECT_EQ(to_string(d.scope), "all");
  EXPECT_EQ(parse_time_value("2023-11-14", "from"), 1'699'920'000);
}

TEST(ReportRequest, EachWrongParameterIsNamed) {
  EXPECT_EQ(error_field(std::nullopt, std::nullopt, std::nullopt, std::nullopt), "format");
  EXPECT_EQ(error_field("docx", std::nullopt, std::nullopt, std::nullopt), "format");
  EXPECT_EQ(error_field("pdf", "yesterday", std::nullopt, std::nullopt), "from");
  EXPECT_EQ(error_field("pdf", "2023-02-30", std::nullopt, std::nullopt), "from");           // no such day
  EXPECT_EQ(error_field("pdf", "2023-11-14T22:13:20", std::nullopt, std::nullopt), "from");  // UTC only
  EXPECT_EQ(error_field("pdf", std::nullopt, "-5", std::nullopt), "to");
  EXPECT_EQ(error_field("pdf", "1700003600", "1700000000", std::nullopt), "from");  // reversed
  EXPECT_EQ(error_field("pdf", "1600000000", "1700000000", std::nullopt), "from");  // over 366 days
  EXPECT_EQ(error_field("pdf", std::nullopt, std::nullopt, "rack:4"), "scope");
}

TEST(ReportRequest, RendersEachFormatWithItsTypeAndName) {
  ReportData d;
  d.range = {1'700'000'000, 1'700'003'600};
  auto scratch = std::filesystem::temp_directory_path();
  RenderedReport pdf = render_report(d, ReportFormat::pdf, scratch);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.filename, "edgeml-report-20231114T221320Z-20231114T231320Z.pdf");
  EXPECT_EQ(pdf.bytes.substr(0, 5), "%PDF-");
  RenderedReport xlsx = render_report(d, ReportFormat::xlsx, scratch);
  EXPECT_EQ(xlsx.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.bytes.substr(0, 2), "PK");
  RenderedReport csv = render_report(d, ReportFormat::csv, scratch);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.bytes.substr(0, 8), "section,");
}

}  // namespace
}  // namespace edgeml::report
