#include "report/pdf_chart.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "common/strings.hpp"

namespace edgeml::report {

namespace {

const double kPalette[8][3] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                               {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127}};

void text_at(cairo_t* cr, double x, double y, const std::string& s, double size, double align_x = 0) {
  cairo_set_font_size(cr, size);
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  cairo_move_to(cr, x - align_x * e.x_advance, y);
  cairo_show_text(cr, s.c_str());
}

std::string time_label(double t, double span_s) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, span_s <= 2 * 86400 ? "%H:%M" : "%m-%d %H:%M", &tm);
  return buf;
}

// Seconds between time ticks: the smallest round step giving at most ~7 ticks.
double time_step(double span_s) {
  const double steps[] = {10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
  for (double s : steps)
    if (span_s / s <= 7) return s;
  return 604800 * std::ceil(span_s / (7 * 604800));
}

}  // namespace

void line_color(size_t i, double rgb[3]) {
  for (int k = 0; k < 3; ++k) rgb[k] = kPalette[i % 8][k] / 255.0;
}

std::vector<double> nice_ticks(double lo, double hi, int target_count) {
  if (!(hi > lo)) return {lo};
  // The step of 1, 2 or 5 x 10^k whose tick count is nearest target_count (the smaller step on a tie).
  double raw = (hi - lo) / std::max(1, target_count);
  double mag = std::pow(10, std::floor(std::log10(raw)));
  auto count = [&](double step) { return std::floor(hi / step + 1e-9) - std::ceil(lo / step - 1e-9) + 1; };
  double step = mag;
  double best = INFINITY;
  for (double m : {0.5, 1.0, 2.0, 5.0, 10.0}) {
    double miss = std::fabs(count(m * mag) - target_count);
    if (miss < best) {
      best = miss;
      step = m * mag;
    }
  }
  std::vector<double> ticks;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

void draw_line_chart(cairo_t* cr, double x, double y, double width, double height, const LineChart& chart) {
  cairo_save(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_source_rgb(cr, 0, 0, 0);
  text_at(cr, x, y + 12, chart.title, 11);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

  // Plot area: room for the y tick labels and title on the left, time labels and axis title below.
  const double left = x + 52, right = x + width - 8, top = y + 34, bottom = y + height - 34;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& l : chart.lines)
    for (const auto& p : l.points) {
      lo = std::min(lo, p.value);
      hi = std::max(hi, p.value);
    }
  bool empty = !std::isfinite(lo);
  if (empty) lo = 0, hi = 1;
  if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
  double pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  auto ticks = nice_ticks(lo, hi, 5);
  lo = std::min(lo, ticks.front());
  hi = std::max(hi, ticks.back());
  const double t0 = chart.range.from_s, t1 = chart.range.to_s, span = t1 - t0;
  auto px = [&](double t) { return left + (t - t0) / span * (right - left); };
  auto py = [&](double v) { return bottom - (v - lo) / (hi - lo) * (bottom - top); };

  // Grid and y ticks.
  cairo_set_line_width(cr, 0.4);
  for (double v : ticks) {
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_move_to(cr, left, py(v));
    cairo_line_to(cr, right, py(v));
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    text_at(cr, left - 4, py(v) + 3, format_number(v, 3), 7, 1);
  }
  // x ticks at round times.
  double step = time_step(span);
  for (double t = std::ceil(t0 / step) * step; t <= t1; t += step) {
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_move_to(cr, px(t), top);
    cairo_line_to(cr, px(t), bottom);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    text_at(cr, px(t), bottom + 10, time_label(t, span), 7, 0.5);
  }
  // Axes and their titles.
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, left, top);
  cairo_line_to(cr, left, bottom);
  cairo_line_to(cr, right, bottom);
  cairo_stroke(cr);
  text_at(cr, (left + right) / 2, bottom + 24, "Time (UTC, from " + format_utc(t0) + ")", 8, 0.5);
  cairo_save(cr);
  cairo_move_to(cr, x + 10, (top + bottom) / 2);
  cairo_rotate(cr, -M_PI / 2);
  cairo_set_font_size(cr, 8);
  cairo_text_extents_t e;
  cairo_text_extents(cr, chart.y_label.c_str(), &e);
  cairo_rel_move_to(cr, -e.x_advance / 2, 0);
  cairo_show_text(cr, chart.y_label.c_str());
  cairo_restore(cr);

  if (empty) {
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    text_at(cr, (left + right) / 2, (top + bottom) / 2, "no data in this range", 9, 0.5);
  }
  // Lines, clipped to the plot area, broken where a device was silent for longer than 3 sampling steps.
  cairo_save(cr);
  cairo_rectangle(cr, left, top, right - left, bottom - top);
  cairo_clip(cr);
  cairo_set_line_width(cr, 1.2);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (size_t i = 0; i < chart.lines.size(); ++i) {
    const auto& pts = chart.lines[i].points;
    if (pts.empty()) continue;
    std::vector<double> gaps;
    for (size_t k = 1; k < pts.size(); ++k) gaps.push_back(pts[k].t_s - pts[k - 1].t_s);
    std::sort(gaps.begin(), gaps.end());
    double usual = gaps.empty() ? span : gaps[gaps.size() / 2];
    double rgb[3];
    line_color(i, rgb);
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
    cairo_move_to(cr, px(pts[0].t_s), py(pts[0].value));
    if (pts.size() == 1) cairo_arc(cr, px(pts[0].t_s), py(pts[0].value), 1.5, 0, 2 * M_PI);
    for (size_t k = 1; k < pts.size(); ++k) {
      if (pts[k].t_s - pts[k - 1].t_s > 3 * usual)
        cairo_move_to(cr, px(pts[k].t_s), py(pts[k].value));
      else
        cairo_line_to(cr, px(pts[k].t_s), py(pts[k].value));
    }
    cairo_stroke(cr);
  }
  cairo_restore(cr);
  // Legend, top right above the plot.
  double lx = right;
  for (size_t i = chart.lines.size(); i-- > 0;) {
    cairo_set_font_size(cr, 7);
    cairo_text_extents_t te;
    cairo_text_extents(cr, chart.lines[i].name.c_str(), &te);
    lx -= te.x_advance + 18;
    double rgb[3];
    line_color(i, rgb);
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
    cairo_rectangle(cr, lx, top - 14, 9, 6);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_at(cr, lx + 12, top - 8, chart.lines[i].name, 7);
  }
  cairo_restore(cr);
}

}  // namespace edgeml::report
