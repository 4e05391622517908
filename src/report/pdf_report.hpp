#pragma once
// The report as a PDF drawn with cairo's PDF surface: title, time range and scope, the definition of each figure,
// tables (devices; energy per inference by model, measured against predicted; alerts) and line charts of power and
// temperature per device with axes and units. A figure without a value prints "unavailable" and the reason is listed
// under its table.
#include <filesystem>
#include <string>

#include "report/report_data.hpp"

namespace edgeml::report {

std::string render_pdf(const ReportData& data);
void write_pdf(const ReportData& data, const std::filesystem::path& out);  // atomically

// How the PDF prints a figure: up to 3 decimals, no trailing zeros ("41.2", "0.933"); "unavailable" when empty.
std::string pdf_figure(const std::optional<double>& v);

}  // namespace edgeml::report
