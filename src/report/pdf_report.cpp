#include "report/pdf_report.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <memory>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/strings.hpp"
#include "report/pdf_chart.hpp"

namespace edgeml::report {

namespace {

constexpr double kPageW = 595.28, kPageH = 841.89, kMargin = 48;  // A4 in points
constexpr size_t kMaxAlertRows = 200;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string hours(double s) { return format_number(s / 3600.0, 2) + " h"; }

// Text flowing down A4 pages: a cursor, word wrap, tables whose header repeats on each page, and page breaks.
class Document {
 public:
  explicit Document(std::string* out)
      : surface_(cairo_pdf_surface_create_for_stream(append, out, kPageW, kPageH), cairo_surface_destroy),
        cr_(cairo_create(surface_.get()), cairo_destroy) {
    font(false);
  }
  cairo_t* cr() { return cr_.get(); }
  double y() const { return y_; }
  void set_metadata(const std::string& title) {
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "edgeml");
  }
  void font(bool bold, double size = 9) {
    cairo_select_font_face(cr(), "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr(), size);
    size_ = size;
  }
  double width_of(const std::string& s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr(), s.c_str(), &e);
    return e.x_advance;
  }
  void need(double height) {
    if (y_ + height > kPageH - kMargin) new_page();
  }
  void new_page() {
    cairo_show_page(cr());
    y_ = kMargin;
  }
  void skip(double dy) { y_ += dy; }
  void heading(const std::string& s, double size = 12) {
    need(size * 2 + 20);
    y_ += size * 0.6;
    font(true, size);
    cairo_set_source_rgb(cr(), 0, 0, 0);
    cairo_move_to(cr(), kMargin, y_ + size);
    cairo_show_text(cr(), s.c_str());
    y_ += size * 1.6;
    font(false);
  }
  // Word-wrapped lines at x, width wide.
  void paragraph(const std::string& text, double x = kMargin, double width = kPageW - 2 * kMargin) {
    std::string line;
    auto flush = [&] {
      need(size_ * 1.35);
      cairo_move_to(cr(), x, y_ + size_);
      cairo_show_text(cr(), line.c_str());
      y_ += size_ * 1.35;
      line.clear();
    };
    for (const auto& word : split_whitespace(text)) {
      std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && width_of(candidate) > width) flush();
      line = line.empty() ? word : line + " " + word;
    }
    if (!line.empty()) flush();
  }
  // A table sized to its content: each column as wide as its widest cell (header included); when they do not fit the
  // page, the columns shrink in proportion and long cells are clipped. The header repeats after a page break.
  void table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
    const double row_h = 8 * 1.6;
    std::vector<double> widths(headers.size(), 0);
    font(true, 8);
    for (size_t c = 0; c < headers.size(); ++c) widths[c] = width_of(headers[c]) + 8;
    font(false, 8);
    for (const auto& r : rows)
      for (size_t c = 0; c < headers.size() && c < r.size(); ++c) widths[c] = std::max(widths[c], width_of(r[c]) + 8);
    double total = 0;
    for (double w : widths) total += w;
    const double available = kPageW - 2 * kMargin;
    if (total > available)
      for (double& w : widths) w *= available / total;
    std::vector<std::pair<std::string, double>> columns;
    for (size_t c = 0; c < headers.size(); ++c) columns.push_back({headers[c], widths[c]});
    auto header = [&] {
      font(true, 8);
      draw_row(
          columns, [&](size_t c) { return columns[c].first; }, row_h, true);
      font(false, 8);
    };
    need(row_h * 3);
    header();
    for (const auto& r : rows) {
      if (y_ + row_h > kPageH - kMargin) {
        new_page();
        header();
      }
      draw_row(
          columns, [&](size_t c) { return c < r.size() ? r[c] : ""; }, row_h, false);
    }
    font(false);
    y_ += 6;
  }
  void finish() {
    cairo_show_page(cr());
    cairo_surface_finish(surface_.get());
    if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS)
      throw Error(ErrorKind::internal, std::string("cairo could not write the PDF: ") +
                                           cairo_status_to_string(cairo_surface_status(surface_.get())));
  }

 private:
  template <class Cell>
  void draw_row(const std::vector<std::pair<std::string, double>>& columns, Cell cell, double row_h, bool header) {
    double x = kMargin;
    if (header) {
      cairo_set_source_rgb(cr(), 0.92, 0.92, 0.92);
      double total = 0;
      for (const auto& c : columns) total += c.second;
      cairo_rectangle(cr(), kMargin, y_, total, row_h);
      cairo_fill(cr());
    }
    cairo_set_source_rgb(cr(), 0, 0, 0);
    for (size_t c = 0; c < columns.size(); ++c) {
      cairo_save(cr());
      cairo_rectangle(cr(), x, y_, columns[c].second - 3, row_h);
      cairo_clip(cr());
      cairo_move_to(cr(), x + 2, y_ + row_h - 4);
      cairo_show_text(cr(), cell(c).c_str());
      cairo_restore(cr());
      x += columns[c].second;
    }
    y_ += row_h;
  }

  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface_;
  std::unique_ptr<cairo_t, void (*)(cairo_t*)> cr_;
  double y_ = kMargin;
  double size_ = 9;
};

}  // namespace

std::string pdf_figure(const std::optional<double>& v) { return v ? format_number(*v, 3) : "unavailable"; }

std::string render_pdf(const ReportData& d) {
  std::string out;
  {
    Document doc(&out);
    doc.set_metadata(d.title);
    doc.heading(d.title, 18);
    doc.paragraph("Time range: " + format_utc(d.range.from_s) + " to " + format_utc(d.range.to_s) + " (" +
                  hours(d.range.length_s()) + ")");
    doc.paragraph("Scope: " + d.scope + ". Devices: " + std::to_string(d.devices.size()) + ". Generated " +
                  format_utc(d.generated_at_s) + ".");

    doc.heading("Definitions");
    for (const auto& [name, text] : report_definitions()) {
      doc.font(true);
      doc.paragraph(name);
      doc.font(false);
      doc.paragraph(text, kMargin + 14, kPageW - 2 * kMargin - 14);
    }

    doc.heading("Devices");
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> notes;
    for (const auto& dev : d.devices) {
      rows.push_back({dev.name, dev.device_type, hours(dev.online_s),
                      format_number(100 * online_ratio(dev, d.range), 1) + "%",
                      std::to_string(dev.deploys) + " (" + std::to_string(dev.deploy_failures) + " failed)",
                      std::to_string(dev.alerts_fired), pdf_figure(dev.power_w_mean), pdf_figure(dev.power_w_max),
                      pdf_figure(dev.temperature_c_max)});
      if (!dev.power_w_mean) notes.push_back(dev.name + " power: unavailable, " + dev.power_unavailable_reason + ".");
      if (!dev.temperature_c_max)
        notes.push_back(dev.name + " temperature: unavailable, " + dev.temperature_unavailable_reason + ".");
    }
    doc.table({"Device", "Type", "Online", "Online %", "Deploys", "Alerts fired", "Power mean (W)", "Power max (W)",
               "Temp. max (°C)"},
              rows);
    for (const auto& n : notes) doc.paragraph(n);

    doc.heading("Energy per inference by model: measured and predicted");
    rows.clear();
    notes.clear();
    for (const auto& m : d.models) {
      rows.push_back({m.device, m.model, pdf_figure(m.measured_energy_per_inference_mj),
                      std::to_string(m.measured_samples), pdf_figure(m.predicted_energy_per_inference_mj),
                      pdf_figure(m.measured_vs_predicted), hours(m.active_s)});
      if (!m.measured_energy_per_inference_mj)
        notes.push_back(m.device + " / " + m.model + " measured: unavailable, " + m.measured_unavailable_reason + ".");
      if (!m.predicted_energy_per_inference_mj)
        notes.push_back(m.device + " / " + m.model + " predicted: unavailable, " + m.predicted_unavailable_reason +
                        ".");
    }
    doc.table({"Device", "Model", "Measured (mJ)", "Samples", "Predicted (mJ)", "Measured / predicted", "Active"},
              rows);
    if (d.models.empty()) doc.paragraph("No model was active on a device in scope within this range.");
    for (const auto& n : notes) doc.paragraph(n);

    doc.heading("Alerts");
    rows.clear();
    size_t first = d.alerts.size() > kMaxAlertRows ? d.alerts.size() - kMaxAlertRows : 0;
    for (size_t i = first; i < d.alerts.size(); ++i) {
      const auto& a = d.alerts[i];
      rows.push_back({format_utc(a.at_s), a.device, a.rule, a.status, a.severity,
                      a.value ? format_number(*a.value, 3) + " " + a.unit : ""});
    }
    if (d.alerts.empty())
      doc.paragraph("No alert transitions within this range.");
    else
      doc.table({"Time (UTC)", "Device", "Rule", "Status", "Severity", "Value"}, rows);
    if (first > 0)
      doc.paragraph("The " + std::to_string(first) +
                    " earlier transitions are in the CSV and XLSX forms of this report.");

    // Charts, each on its own part of a page: power, then temperature.
    auto chart = [&](const std::string& title, const std::string& y_label,
                     const std::vector<SeriesPoint> DeviceSection::*series,
                     const std::string DeviceSection::*unavailable) {
      LineChart c{title, y_label, d.range, {}};
      std::vector<std::string> missing;
      for (const auto& dev : d.devices) {
        if ((dev.*series).empty())
          missing.push_back(dev.name + ": unavailable, " + dev.*unavailable + ".");
        else
          c.lines.push_back({dev.name, dev.*series});
      }
      doc.need(300);
      draw_line_chart(doc.cr(), kMargin, doc.y(), kPageW - 2 * kMargin, 280, c);
      doc.skip(288);
      for (const auto& m : missing) doc.paragraph(m);
    };
    doc.new_page();
    doc.heading("Power and temperature over time");
    chart("Power", "Power (W)", &DeviceSection::power_w, &DeviceSection::power_unavailable_reason);
    chart("Temperature", "Temperature (°C)", &DeviceSection::temperature_c,
          &DeviceSection::temperature_unavailable_reason);
    doc.finish();
  }
  return out;
}

void write_pdf(const ReportData& data, const std::filesystem::path& out) { write_file_atomic(out, render_pdf(data)); }

}  // namespace edgeml::report
