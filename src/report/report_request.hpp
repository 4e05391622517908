#pragma once
// GET /api/reports?format=pdf|xlsx|csv&from=&to=&scope= without the HTTP: the query's values checked (errors name
// the parameter), and a built report rendered in the asked format with its content type and a file name.
#include <filesystem>
#include <optional>
#include <string>

#include "common/fleet_scope.hpp"
#include "report/report_data.hpp"

namespace edgeml::report {

enum class ReportFormat { pdf, xlsx, csv };

struct ReportRequest {
  ReportFormat format = ReportFormat::pdf;
  TimeRange range;
  FleetScope scope;
};

inline constexpr double kMaxReportRangeS = 366 * 86400.0;

// format: required. from, to: Unix seconds ("1700000000") or UTC dates ("2023-11-14T22:13:20Z", "2023-11-14");
// to defaults to now_s, from to 24 hours before to. scope: "all" (default), "device:NAME", "group:NAME",
// "device_type:NAME". Throws FieldError("format" | "from" | "to" | "scope") saying what is accepted.
ReportRequest parse_report_request(const std::optional<std::string>& format, const std::optional<std::string>& from,
                                   const std::optional<std::string>& to, const std::optional<std::string>& scope,
                                   double now_s);

// "1700000000", "1700000000.5", "2023-11-14T22:13:20Z" or "2023-11-14" -> Unix seconds; FieldError(field) otherwise.
double parse_time_value(const std::string& text, const std::string& field);

struct RenderedReport {
  std::string bytes;
  std::string content_type;  // application/pdf, ...spreadsheetml.sheet, text/csv; charset=utf-8
  std::string filename;      // edgeml-report-20231114T221320Z-20231114T231320Z.pdf
};
// scratch_dir: where libxlsxwriter may write its temporary files (XLSX only).
RenderedReport render_report(const ReportData& data, ReportFormat format, const std::filesystem::path& scratch_dir);

}  // namespace edgeml::report
