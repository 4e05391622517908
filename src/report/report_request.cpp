#include "report/report_request.hpp"

#include <cstdio>
#include <ctime>

#include "common/error.hpp"
#include "common/strings.hpp"
#include "report/csv_report.hpp"
#include "report/pdf_report.hpp"
#include "report/xlsx_report.hpp"

namespace edgeml::report {

namespace {

std::string compact_utc(double t) {
  std::string s = format_utc(t);  // 2023-11-14T22:13:20Z
  std::string out;
  for (char c : s)
    if (c != '-' && c != ':') out += c;
  return out;
}

}  // namespace

double parse_time_value(const std::string& text, const std::string& field) {
  const std::string accepted = "'" + field +
                               "' must be Unix seconds or a UTC time like 2023-11-14T22:13:20Z or "
                               "2023-11-14";
  if (auto n = parse_double(text)) {
    if (*n < 0 || *n > 1e11) throw FieldError(field, accepted + ", got " + text);
    return *n;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  std::tm tm{};
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &used) == 6 &&
      static_cast<size_t>(used) == text.size()) {
  } else if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 &&
             static_cast<size_t>(used) == text.size()) {
    h = mi = s = 0;
  } else {
    throw FieldError(field, accepted + ", got '" + text.substr(0, 40) + "'");
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  double t = static_cast<double>(timegm(&tm));
  // timegm normalises 2023-02-30 into March: a date that does not read back is not a date.
  std::string back = format_utc(t);
  std::string expected = text.size() == 10 ? text + "T00:00:00Z" : text;
  if (back != expected) throw FieldError(field, "'" + field + "' is not a valid date: " + text);
  return t;
}

ReportRequest parse_report_request(const std::optional<std::string>& format, const std::optional<std::string>& from,
                                   const std::optional<std::string>& to, const std::optional<std::string>& scope,
                                   double now_s) {
  ReportRequest r;
  if (!format) throw FieldError("format", "'format' is required: pdf, xlsx or csv");
  if (*format == "pdf")
    r.format = ReportFormat::pdf;
  else if (*format == "xlsx")
    r.format = ReportFormat::xlsx;
  else if (*format == "csv")
    r.format = ReportFormat::csv;
  else
    throw FieldError("format", "'format' must be pdf, xlsx or csv, got '" + format->substr(0, 20) + "'");
  r.range.to_s = to ? parse_time_value(*to, "to") : now_s;
  r.range.from_s = from ? parse_time_value(*from, "from") : r.range.to_s - 86400;
  if (!(r.range.from_s < r.range.to_s)) throw FieldError("from", "'from' must be before 'to'");
  if (r.range.length_s() > kMaxReportRangeS) throw FieldError("from", "a report covers at most 366 days");
  if (scope) r.scope = parse_fleet_scope(*scope, "scope");
  return r;
}

RenderedReport render_report(const ReportData& data, ReportFormat format, const std::filesystem::path& scratch_dir) {
  RenderedReport out;
  std::string base = "edgeml-report-" + compact_utc(data.range.from_s) + "-" + compact_utc(data.range.to_s);
  switch (format) {
    case ReportFormat::pdf:
      out.bytes = render_pdf(data);
      out.content_type = "application/pdf";
      out.filename = base + ".pdf";
      break;
    case ReportFormat::xlsx:
      out.bytes = render_xlsx(data, scratch_dir);
      out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      out.filename = base + ".xlsx";
      break;
    case ReportFormat::csv:
      out.bytes = render_csv(data);
      out.content_type = "text/csv; charset=utf-8";
      out.filename = base + ".csv";
      break;
  }
  return out;
}

}  // namespace edgeml::report
