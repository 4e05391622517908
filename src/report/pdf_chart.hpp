#pragma once
// A line chart drawn with cairo: one line per device over time, axes with ticks at round values, axis titles with
// units, a legend, and lines broken where a device sent nothing for a while (rather than drawn across the hole).
#include <cairo.h>

#include <string>
#include <vector>

#include "report/report_data.hpp"

namespace edgeml::report {

struct ChartLine {
  std::string name;
  std::vector<SeriesPoint> points;
};

struct LineChart {
  std::string title;    // "Power"
  std::string y_label;  // "Power (W)"
  TimeRange range;      // the x axis
  std::vector<ChartLine> lines;
};

// RGB 0..1 of the i-th line (a palette of 8 distinct colours, repeated).
void line_color(size_t i, double rgb[3]);

// Draws into the box (x, y, width, height in points). With no line, draws the frame and says "no data".
void draw_line_chart(cairo_t* cr, double x, double y, double width, double height, const LineChart& chart);

// Round tick values covering [lo, hi]: steps of 1, 2 or 5 x 10^k, about target_count of them.
std::vector<double> nice_ticks(double lo, double hi, int target_count);

}  // namespace edgeml::report
