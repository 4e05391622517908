#pragma once
// The report as an Excel workbook through libxlsxwriter: sheets Report (title, range, scope, definitions), Devices,
// Energy by model, Alerts, Power and Temperature (one row per point, time as an Excel date and as Unix seconds), and
// a line chart per series sheet with one line per device. Units are in the column headers. A figure without a value
// leaves its cell empty and the row's "Unavailable because" cell says why.
#include <filesystem>
#include <string>

#include "report/report_data.hpp"

namespace edgeml::report {

// Writes the workbook to out (created whole, then renamed into place). scratch_dir holds libxlsxwriter's temporary
// files. Throws Error(internal) with libxlsxwriter's reason when it cannot write.
void write_xlsx(const ReportData& data, const std::filesystem::path& out, const std::filesystem::path& scratch_dir);
// The workbook's bytes (written to a file in scratch_dir, read back and removed).
std::string render_xlsx(const ReportData& data, const std::filesystem::path& scratch_dir);

// Unix seconds as an Excel serial date (days since 1899-12-30, UTC).
double excel_serial(double unix_s);

}  // namespace edgeml::report
