// How long GET /api/reports would take on a week of a fleet's stored telemetry, per step and format, and how big the
// files are. Samples as the controller keeps them: raw (every 5 s) for the last day, one per minute before
// (apply_retention). Values follow a daily cycle so the charts have something to draw.
// Usage: report_bench [devices=10] [days=7]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "report/csv_report.hpp"
#include "report/pdf_report.hpp"
#include "report/report_builder.hpp"
#include "report/xlsx_report.hpp"

using namespace edgeml;
using namespace edgeml::report;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int devices = argc > 1 ? std::atoi(argv[1]) : 10;
  double days = argc > 2 ? std::atof(argv[2]) : 7;
  const double end = 1'700'000'000, start = end - days * 86400;
  ReportInputs in;
  in.range = {start, end};
  in.generated_at_s = end;
  for (int d = 0; d < devices; ++d) {
    std::string name = "dev-" + std::to_string(d);
    in.devices.push_back({name, "lab", d % 2 ? "rpi5" : "jetson_nano"});
    for (double t = start; t < end; t += (end - t > 86400 ? 60 : 5)) {
      double day = std::sin((t - start) / 86400 * 2 * M_PI);
      SampleRow s{name, t, 5 + 2 * day + 0.1 * d, 45 + 10 * day, 20 + 5 * day, t < (start + end) / 2 ? "big" : "small"};
      in.samples.push_back(s);
    }
    in.deployments.push_back({name, "big", start - 1, "succeeded", 19.0});
    in.deployments.push_back({name, "small", (start + end) / 2, "succeeded", 9.0});
  }
  std::printf("%d devices, %.1f days, %zu stored samples\n", devices, days, in.samples.size());
  auto t0 = std::chrono::steady_clock::now();
  ReportData data = build_report(in);
  std::printf("build_report  %8.3f s\n", seconds_since(t0));
  t0 = std::chrono::steady_clock::now();
  std::string csv = render_csv(data);
  std::printf("render_csv    %8.3f s  %9zu bytes\n", seconds_since(t0), csv.size());
  t0 = std::chrono::steady_clock::now();
  std::string xlsx = render_xlsx(data, std::filesystem::temp_directory_path());
  std::printf("render_xlsx   %8.3f s  %9zu bytes\n", seconds_since(t0), xlsx.size());
  t0 = std::chrono::steady_clock::now();
  std::string pdf = render_pdf(data);
  std::printf("render_pdf    %8.3f s  %9zu bytes\n", seconds_since(t0), pdf.size());
  return 0;
}
