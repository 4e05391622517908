#include "report/xlsx_report.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <optional>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/strings.hpp"

namespace edgeml::report {

namespace fs = std::filesystem;

namespace {

class Sheet {
 public:
  Sheet(lxw_workbook* wb, lxw_worksheet* ws, lxw_format* header) : wb_(wb), ws_(ws), header_(header) {}
  void headers(const std::vector<std::pair<std::string, double>>& columns) {
    for (size_t c = 0; c < columns.size(); ++c) {
      worksheet_write_string(ws_, 0, static_cast<lxw_col_t>(c), columns[c].first.c_str(), header_);
      worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), columns[c].second, nullptr);
    }
    worksheet_freeze_panes(ws_, 1, 0);
  }
  void text(lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* f = nullptr) {
    worksheet_write_string(ws_, r, c, s.c_str(), f);
  }
  void number(lxw_row_t r, lxw_col_t c, double v, lxw_format* f = nullptr) { worksheet_write_number(ws_, r, c, v, f); }
  void number(lxw_row_t r, lxw_col_t c, const std::optional<double>& v, lxw_format* f = nullptr) {
    if (v) worksheet_write_number(ws_, r, c, *v, f);
  }
  lxw_worksheet* raw() const { return ws_; }
  lxw_workbook* workbook() const { return wb_; }

 private:
  lxw_workbook* wb_;
  lxw_worksheet* ws_;
  lxw_format* header_;
};

// A series sheet (Power, Temperature): Device | Time (UTC) | t (s) | value, devices one after another, and a line
// chart with one series per device that has points.
void series_sheet(lxw_workbook* wb, lxw_format* header, lxw_format* date, const ReportData& d, const char* name,
                  const std::string& value_header, const std::string& axis_name,
                  const std::vector<SeriesPoint> DeviceSection::*series,
                  const std::string DeviceSection::*unavailable) {
  Sheet s(wb, workbook_add_worksheet(wb, name), header);
  s.headers({{"Device", 16}, {"Time (UTC)", 20}, {"t (s, Unix)", 14}, {value_header, 16}});
  lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_SCATTER_STRAIGHT);
  lxw_row_t row = 1;
  int lines = 0;
  std::string notes;
  for (const auto& dev : d.devices) {
    const auto& points = dev.*series;
    if (points.empty()) {
      notes += dev.name + ": unavailable (" + dev.*unavailable + "). ";
      continue;
    }
    lxw_row_t first = row;
    for (const auto& p : points) {
      s.text(row, 0, dev.name);
      s.number(row, 1, excel_serial(p.t_s), date);
      s.number(row, 2, p.t_s);
      s.number(row, 3, p.value);
      ++row;
    }
    lxw_chart_series* line = chart_add_series(chart, nullptr, nullptr);
    chart_series_set_categories(line, name, first, 1, row - 1, 1);
    chart_series_set_values(line, name, first, 3, row - 1, 3);
    chart_series_set_name(line, dev.name.c_str());
    ++lines;
  }
  if (!notes.empty()) s.text(0, 5, notes);
  chart_title_set_name(chart, (axis_name + " by device").c_str());
  chart_axis_set_name(chart->x_axis, "Time (UTC)");
  chart_axis_set_num_format(chart->x_axis, "mm-dd hh:mm");
  chart_axis_set_name(chart->y_axis, axis_name.c_str());
  if (lines == 0) chart_add_series(chart, nullptr, nullptr);  // an empty chart still needs one (empty) series
  lxw_chart_options where{};
  where.x_scale = 2;
  where.y_scale = 1.5;
  worksheet_insert_chart_opt(s.raw(), 1, 5, chart, &where);
}

}  // namespace

double excel_serial(double unix_s) { return unix_s / 86400.0 + 25569.0; }

void write_xlsx(const ReportData& d, const fs::path& out, const fs::path& scratch_dir) {
  static std::atomic<int> counter{0};
  fs::path tmp = out.parent_path() /
                 (out.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::string tmpdir = scratch_dir.string();
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  lxw_workbook* wb = workbook_new_opt(tmp.c_str(), &options);
  if (!wb) throw Error(ErrorKind::internal, "cannot create the workbook " + tmp.string());

  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_text_wrap(header);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd hh:mm:ss");
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);

  {  // Report: what, when, which devices, and what each figure means.
    Sheet s(wb, workbook_add_worksheet(wb, "Report"), header);
    worksheet_set_column(s.raw(), 0, 0, 34, nullptr);
    worksheet_set_column(s.raw(), 1, 1, 100, wrap);
    s.text(0, 0, d.title, title);
    s.text(2, 0, "From (UTC)", header);
    s.number(2, 1, excel_serial(d.range.from_s), date);
    s.text(3, 0, "To (UTC)", header);
    s.number(3, 1, excel_serial(d.range.to_s), date);
    s.text(4, 0, "Scope", header);
    s.text(4, 1, d.scope);
    s.text(5, 0, "Generated (UTC)", header);
    s.number(5, 1, excel_serial(d.generated_at_s), date);
    s.text(7, 0, "Figure", header);
    s.text(7, 1, "Definition", header);
    lxw_row_t r = 8;
    for (const auto& [name, text] : report_definitions()) {
      s.text(r, 0, name);
      s.text(r, 1, text, wrap);
      ++r;
    }
  }
  {
    Sheet s(wb, workbook_add_worksheet(wb, "Devices"), header);
    s.headers({{"Device", 16},
               {"Device type", 14},
               {"Group", 12},
               {"Online (s)", 12},
               {"Online (ratio)", 12},
               {"Deploys", 9},
               {"Deploy failures", 9},
               {"Alerts fired", 9},
               {"Power mean (W)", 12},
               {"Power max (W)", 12},
               {"Temperature mean (°C)", 14},
               {"Temperature max (°C)", 14},
               {"Unavailable because", 60}});
    lxw_row_t r = 1;
    for (const auto& dev : d.devices) {
      s.text(r, 0, dev.name);
      s.text(r, 1, dev.device_type);
      s.text(r, 2, dev.group);
      s.number(r, 3, dev.online_s);
      s.number(r, 4, online_ratio(dev, d.range));
      s.number(r, 5, dev.deploys);
      s.number(r, 6, dev.deploy_failures);
      s.number(r, 7, dev.alerts_fired);
      s.number(r, 8, dev.power_w_mean);
      s.number(r, 9, dev.power_w_max);
      s.number(r, 10, dev.temperature_c_mean);
      s.number(r, 11, dev.temperature_c_max);
      std::string why;
      if (!dev.power_w_mean) why += "power: " + dev.power_unavailable_reason;
      if (!dev.temperature_c_mean)
        why += std::string(why.empty() ? "" : "; ") + "temperature: " + dev.temperature_unavailable_reason;
      s.text(r, 12, why);
      ++r;
    }
  }
  {
    Sheet s(wb, workbook_add_worksheet(wb, "Energy by model"), header);
    s.headers({{"Device", 16},
               {"Device type", 14},
               {"Model", 22},
               {"Active (s)", 12},
               {"Measured energy per inference (mJ)", 18},
               {"Measured samples", 10},
               {"Predicted energy per inference (mJ)", 18},
               {"Measured / predicted", 12},
               {"Unavailable because", 60}});
    lxw_row_t r = 1;
    for (const auto& m : d.models) {
      s.text(r, 0, m.device);
      s.text(r, 1, m.device_type);
      s.text(r, 2, m.model);
      s.number(r, 3, m.active_s);
      s.number(r, 4, m.measured_energy_per_inference_mj);
      s.number(r, 5, static_cast<double>(m.measured_samples));
      s.number(r, 6, m.predicted_energy_per_inference_mj);
      s.number(r, 7, m.measured_vs_predicted);
      std::string why;
      if (!m.measured_energy_per_inference_mj) why += "measured: " + m.measured_unavailable_reason;
      if (!m.predicted_energy_per_inference_mj)
        why += std::string(why.empty() ? "" : "; ") + "predicted: " + m.predicted_unavailable_reason;
      s.text(r, 8, why);
      ++r;
    }
  }
  {
    Sheet s(wb, workbook_add_worksheet(wb, "Alerts"), header);
    s.headers({{"Time (UTC)", 20},
               {"t (s, Unix)", 14},
               {"Device", 16},
               {"Rule", 20},
               {"Status", 10},
               {"Severity", 10},
               {"Metric", 26},
               {"Value", 12},
               {"Unit", 8}});
    lxw_row_t r = 1;
    for (const auto& a : d.alerts) {
      s.number(r, 0, excel_serial(a.at_s), date);
      s.number(r, 1, a.at_s);
      s.text(r, 2, a.device);
      s.text(r, 3, a.rule);
      s.text(r, 4, a.status);
      s.text(r, 5, a.severity);
      s.text(r, 6, a.metric);
      s.number(r, 7, a.value);
      s.text(r, 8, a.unit);
      ++r;
    }
  }
  series_sheet(wb, header, date, d, "Power", "Power (W)", "Power (W)", &DeviceSection::power_w,
               &DeviceSection::power_unavailable_reason);
  series_sheet(wb, header, date, d, "Temperature", "Temperature (°C)", "Temperature (°C)",
               &DeviceSection::temperature_c, &DeviceSection::temperature_unavailable_reason);

  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error(ErrorKind::internal, "cannot write the workbook " + out.string() + ": " + lxw_strerror(err));
  }
  fs::rename(tmp, out);
}

std::string render_xlsx(const ReportData& d, const fs::path& scratch_dir) {
  static std::atomic<int> counter{0};
  fs::path file = scratch_dir / ("report-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".xlsx");
  write_xlsx(d, file, scratch_dir);
  std::string bytes = read_file(file);
  fs::remove(file);
  return bytes;
}

}  // namespace edgeml::report
