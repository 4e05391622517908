// The fleet/energy report: the builder's figures checked against hand-computed values, then each format opened with
// an independent reader -- the CSV with our strict CSV parser, the XLSX with Python's zipfile and xml modules
// (read_xlsx.py), the PDF with poppler's pdftotext and pdftoppm (text and the charts' pixels) -- and compared with
// the same figures.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/csv.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "report/csv_report.hpp"
#include "report/pdf_chart.hpp"
#include "report/pdf_report.hpp"
#include "report/report_builder.hpp"
#include "report/xlsx_report.hpp"
#include "temp_dir.hpp"

namespace edgeml::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kFrom = 1'700'000'000;  // 2023-11-14T22:13:20Z
const std::string kNoPower =
    "no power sensor found (looked for: ina3221x iio, hwmon ina3221/power*, powercap rapl, Raspberry Pi 5 PMIC via "
    "vcgencmd, external meter)";

// One hour of a lab: nano-1 (Jetson Nano) samples every 5 s with a 10-minute hole, switching from resnet18 to
// mobilenet_v3 at 40 min; rpi-1 (Pi 5, no power source) every 10 s; field-1 outside the scope.
ReportInputs lab_hour() {
  ReportInputs in;
  in.range = {kFrom, kFrom + 3600};
  in.scope = parse_fleet_scope("group:lab", "scope");
  in.generated_at_s = kFrom + 4000;
  in.devices = {{"nano-1", "lab", "jetson_nano"}, {"rpi-1", "lab", "rpi5"}, {"field-1", "field", "jetson_nano"}};
  for (int k = 0; k < 720; ++k) {
    if (k >= 240 && k < 360) continue;  // offline from +1200 s to +1800 s
    SampleRow s{"nano-1", kFrom + 5.0 * k, 5 + (k % 10) * 0.1, 40 + (k % 20) * 0.5, std::nullopt, ""};
    s.active_model = k < 480 ? "resnet18" : "mobilenet_v3";
    s.energy_per_inference_mj = k < 480 ? (k % 2 ? 43.0 : 41.0) : (k % 2 ? 12.0 : 11.0);
    in.samples.push_back(s);
  }
  for (int k = 0; k < 360; ++k)
    in.samples.push_back({"rpi-1", kFrom + 10.0 * k, std::nullopt, 55, std::nullopt, "mobilenet_v2"});
  in.samples.push_back({"field-1", kFrom + 5, 9.9, 70, 99.0, "resnet18"});
  in.samples.push_back({"nano-1", kFrom - 5, 99.0, 99, 99.0, "resnet18"});  // before the range: ignored
  in.deployments = {{"nano-1", "resnet18", kFrom - 86400, "succeeded", 40.0},
                    {"nano-1", "mobilenet_v3", kFrom + 2390, "succeeded", 10.0},
                    {"rpi-1", "resnet18", kFrom + 100, "failed", 38.0},
                    {"field-1", "resnet18", kFrom + 100, "succeeded", 40.0}};
  in.alerts = {{kFrom + 300, "hot", "nano-1", "firing", "critical", "temperature_c", "°C", 48.5},
               {kFrom + 400, "hot", "nano-1", "resolved", "critical", "temperature_c", "°C", 44.0},
               {kFrom + 500, "hot", "field-1", "firing", "critical", "temperature_c", "°C", 71.0},
               {kFrom + 1300, "gone", "nano-1", "firing", "warning", "device_offline", "s", 100.0}};
  in.power_unavailable_reason["rpi-1"] = kNoPower;
  return in;
}

const DeviceSection& device(const ReportData& d, const std::string& name) {
  for (const auto& x : d.devices)
    if (x.name == name) return x;
  throw std::runtime_error("no device " + name);
}

const ModelEnergyRow& model(const ReportData& d, const std::string& dev, const std::string& name) {
  for (const auto& x : d.models)
    if (x.device == dev && x.model == name) return x;
  throw std::runtime_error("no row " + dev + "/" + name);
}

std::string run(const std::string& command) {
  FILE* p = ::popen(command.c_str(), "r");
  std::string out;
  char buf[8192];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int rc = ::pclose(p);
  if (rc != 0) throw std::runtime_error("failed (" + std::to_string(rc) + "): " + command);
  return out;
}

using edgeml::testing::TempDir;

TEST(ReportBuilder, FiguresMatchTheHandComputedOnes) {
  ReportData d = build_report(lab_hour());
  ASSERT_EQ(d.devices.size(), 2u);  // field-1 is outside group:lab
  EXPECT_EQ(d.scope, "group:lab");
  const auto& nano = device(d, "nano-1");
  EXPECT_DOUBLE_EQ(nano.online_s, 239 * 5 + 359 * 5);  // the 605 s gap is offline
  EXPECT_NEAR(online_ratio(nano, d.range), 2990.0 / 3600, 1e-12);
  EXPECT_EQ(nano.deploys, 1);
  EXPECT_EQ(nano.deploy_failures, 0);
  EXPECT_EQ(nano.alerts_fired, 2);  // hot and gone fired; the resolution is not a firing
  EXPECT_NEAR(*nano.power_w_mean, 5.45, 1e-9);
  EXPECT_NEAR(*nano.power_w_max, 5.9, 1e-9);
  EXPECT_NEAR(*nano.temperature_c_mean, 44.75, 1e-9);
  EXPECT_DOUBLE_EQ(*nano.temperature_c_max, 49.5);
  EXPECT_LE(nano.power_w.size(), 500u);  // 600 samples averaged for the chart
  EXPECT_GE(nano.power_w.size(), 400u);
  EXPECT_GE(nano.power_w.front().t_s, kFrom);

  const auto& resnet = model(d, "nano-1", "resnet18");
  EXPECT_DOUBLE_EQ(resnet.active_s, 239 * 5 + 120 * 5);
  EXPECT_DOUBLE_EQ(*resnet.measured_energy_per_inference_mj, 42);
  EXPECT_EQ(resnet.measured_samples, 360u);
  EXPECT_DOUBLE_EQ(*resnet.predicted_energy_per_inference_mj, 40);  // deployed the day before
  EXPECT_DOUBLE_EQ(*resnet.measured_vs_predicted, 42.0 / 40);
  const auto& mobile = model(d, "nano-1", "mobilenet_v3");
  EXPECT_DOUBLE_EQ(mobile.active_s, 239 * 5);
  EXPECT_DOUBLE_EQ(*mobile.measured_energy_per_inference_mj, 11.5);
  EXPECT_DOUBLE_EQ(*mobile.measured_vs_predicted, 1.15);

  const auto& rpi = device(d, "rpi-1");
  EXPECT_DOUBLE_EQ(rpi.online_s, 359 * 10);
  EXPECT_EQ(rpi.deploys, 1);
  EXPECT_EQ(rpi.deploy_failures, 1);
  EXPECT_FALSE(rpi.power_w_mean);
  EXPECT_EQ(rpi.power_unavailable_reason, kNoPower);
  const auto& rpi_model = model(d, "rpi-1", "mobilenet_v2");
  EXPECT_FALSE(rpi_model.measured_energy_per_inference_mj);
  EXPECT_FALSE(rpi_model.predicted_energy_per_inference_mj);
  EXPECT_EQ(rpi_model.predicted_unavailable_reason, "no successful deployment of it to this device is recorded");
  EXPECT_EQ(d.alerts.size(), 3u);  // field-1's alert is out of scope

  ReportInputs bad = lab_hour();
  bad.range.to_s = bad.range.from_s;
  EXPECT_THROW(build_report(bad), FieldError);
}

TEST(ReportCsv, HoldsTheFiguresAndSaysWhyOneIsMissing) {
  ReportData d = build_report(lab_hour());
  CsvTable t = parse_csv(render_csv(d));
  ASSERT_EQ(t.header,
            (std::vector<std::string>{"section", "device", "model", "figure", "value", "unit", "time", "detail"}));
  auto find = [&](const std::string& section, const std::string& dev, const std::string& mdl,
                  const std::string& figure) -> const std::vector<std::string>& {
    for (const auto& r : t.rows)
      if (r[0] == section && r[1] == dev && r[2] == mdl && r[3] == figure) return r;
    throw std::runtime_error("no row " + section + "/" + dev + "/" + mdl + "/" + figure);
  };
  EXPECT_EQ(find("device", "nano-1", "", "online_s")[4], "2990");
  EXPECT_EQ(find("device", "nano-1", "", "power_w_mean")[4], "5.45");
  EXPECT_EQ(find("device", "nano-1", "", "power_w_mean")[5], "W");
  EXPECT_EQ(find("model", "nano-1", "resnet18", "measured_energy_per_inference_mj")[4], "42");
  EXPECT_EQ(find("model", "nano-1", "resnet18", "predicted_energy_per_inference_mj")[4], "40");
  EXPECT_EQ(find("model", "nano-1", "mobilenet_v3", "measured_vs_predicted")[4], "1.15");
  const auto& missing = find("device", "rpi-1", "", "power_w_mean");
  EXPECT_EQ(missing[4], "");
  EXPECT_EQ(missing[7], "unavailable: " + kNoPower);
  EXPECT_EQ(find("report", "", "", "scope")[4], "group:lab");
  EXPECT_EQ(find("report", "", "", "from")[6], "2023-11-14T22:13:20Z");
  EXPECT_EQ(find("alert", "nano-1", "", "hot")[4], "48.5");
  size_t definitions = 0, power_points = 0;
  for (const auto& r : t.rows) {
    definitions += r[0] == "definition";
    power_points += r[0] == "power_w" && r[1] == "nano-1";
  }
  EXPECT_EQ(definitions, report_definitions().size());
  EXPECT_EQ(power_points, device(d, "nano-1").power_w.size());
  for (const auto& r : t.rows) EXPECT_NE(r[1], "field-1");
}

TEST(ReportXlsx, AnIndependentReaderFindsTheSameFiguresAndTheCharts) {
  ReportData d = build_report(lab_hour());
  TempDir dir;
  std::string bytes = render_xlsx(d, dir.path);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");  // a zip
  fs::path file = dir.path / "report.xlsx";
  std::ofstream(file, std::ios::binary) << bytes;
  json x = json::parse(
      run(std::string(EDGEML_PYTHON3) + " " + EDGEML_SOURCE_DIR + "/tests/report/read_xlsx.py " + file.string()));
  const json& sheets = x["sheets"];
  for (const char* name : {"Report", "Devices", "Energy by model", "Alerts", "Power", "Temperature"})
    EXPECT_TRUE(sheets.contains(name)) << name;

  const json& devices = sheets["Devices"];
  EXPECT_EQ(devices["1"]["D"], "Online (s)");
  EXPECT_EQ(devices["1"]["I"], "Power mean (W)");
  EXPECT_EQ(devices["2"]["A"], "nano-1");
  EXPECT_DOUBLE_EQ(devices["2"]["D"].get<double>(), 2990);
  EXPECT_NEAR(devices["2"]["I"].get<double>(), 5.45, 1e-12);
  EXPECT_DOUBLE_EQ(devices["2"]["L"].get<double>(), 49.5);
  EXPECT_EQ(devices["3"]["A"], "rpi-1");
  EXPECT_FALSE(devices["3"].contains("I"));            // no power: empty cell ...
  EXPECT_EQ(devices["3"]["M"], "power: " + kNoPower);  // ... and why

  const json& energy = sheets["Energy by model"];
  EXPECT_EQ(energy["1"]["E"], "Measured energy per inference (mJ)");
  bool seen_resnet = false;
  for (const auto& [row, cells] : energy.items()) {
    if (cells.value("C", json()) != "resnet18") continue;
    seen_resnet = true;
    EXPECT_DOUBLE_EQ(cells["E"].get<double>(), 42);
    EXPECT_DOUBLE_EQ(cells["G"].get<double>(), 40);
    EXPECT_DOUBLE_EQ(cells["H"].get<double>(), 1.05);
  }
  EXPECT_TRUE(seen_resnet);
  EXPECT_DOUBLE_EQ(sheets["Report"]["3"]["B"].get<double>(), excel_serial(kFrom));
  EXPECT_EQ(sheets["Report"]["5"]["B"], "group:lab");
  EXPECT_EQ(sheets["Alerts"]["2"]["D"], "hot");
  EXPECT_DOUBLE_EQ(sheets["Alerts"]["2"]["H"].get<double>(), 48.5);

  // Power: one row per point, and a chart whose series point at those rows.
  size_t nano_points = device(d, "nano-1").power_w.size();
  EXPECT_EQ(sheets["Power"].size(), nano_points + 1);  // header + points (rpi-1 has none)
  ASSERT_EQ(x["charts"].size(), 2u);
  const json& power_chart = x["charts"][0];
  ASSERT_EQ(power_chart["series"].size(), 1u);
  EXPECT_EQ(power_chart["series"][0]["name"], "nano-1");
  std::string last = std::to_string(nano_points + 1);
  EXPECT_EQ(power_chart["series"][0]["refs"], (json{"Power!$B$2:$B$" + last, "Power!$D$2:$D$" + last}));
  EXPECT_EQ(power_chart["titles"][0], "Power (W) by device");
  EXPECT_EQ(x["charts"][1]["series"].size(), 2u);  // temperature: both devices
}

// The pixels of a PPM (P6) image.
struct Image {
  int w = 0, h = 0;
  std::string rgb;
  int count_near(int r, int g, int b, int tolerance) const {
    int n = 0;
    for (size_t i = 0; i + 2 < rgb.size(); i += 3) {
      auto px = [&](size_t k) { return static_cast<unsigned char>(rgb[i + k]); };
      n += std::abs(px(0) - r) <= tolerance && std::abs(px(1) - g) <= tolerance && std::abs(px(2) - b) <= tolerance;
    }
    return n;
  }
};

Image read_ppm(const fs::path& file) {
  std::string data = read_file(file);
  Image img;
  int maxval = 0, consumed = 0;
  if (std::sscanf(data.c_str(), "P6 %d %d %d%n", &img.w, &img.h, &maxval, &consumed) != 3)
    throw std::runtime_error("not a PPM");
  img.rgb = data.substr(static_cast<size_t>(consumed) + 1);
  return img;
}

TEST(ReportPdf, PopplerReadsTheFiguresAndTheChartsHaveTheirLines) {
  ReportData d = build_report(lab_hour());
  TempDir dir;
  fs::path file = dir.path / "report.pdf";
  write_pdf(d, file);
  EXPECT_EQ(read_file(file).substr(0, 5), "%PDF-");
  std::string text = run("pdftotext -layout " + file.string() + " -");
  for (std::string expected : {std::string("edgeml fleet energy report"),
                               std::string("2023-11-14T22:13:20Z to 2023-11-14T23:13:20Z"),
                               std::string("Scope: group:lab"),
                               std::string("Definitions"),
                               std::string("measured_energy_per_inference_mj"),
                               std::string("nano-1"),
                               std::string("rpi-1"),
                               std::string("resnet18"),
                               std::string("mobilenet_v3"),
                               std::string("0.83 h"),
                               std::string("83.1%"),
                               std::string("5.45"),
                               std::string("1.05"),
                               std::string("1.15"),
                               std::string("11.5"),
                               std::string("1 (1 failed)"),
                               std::string("Power (W)"),
                               std::string("Temperature (°C)"),
                               std::string("rpi-1 power: unavailable"),
                               std::string("48.5 °C")})
    EXPECT_NE(text.find(expected), std::string::npos) << "'" << expected << "' not in the PDF text";
  for (const auto& [name, definition] : report_definitions()) EXPECT_NE(text.find(name), std::string::npos) << name;
  EXPECT_EQ(text.find("field-1"), std::string::npos);

  // The last page holds the charts: nano-1's line in the first colour (both charts), rpi-1's in the second
  // (temperature only: it has no power).
  std::string info = run("pdfinfo " + file.string());
  int pages = std::stoi(info.substr(info.find("Pages:") + 6));
  ASSERT_GE(pages, 2);
  run("pdftoppm -r 100 -f " + std::to_string(pages) + " -l " + std::to_string(pages) + " " + file.string() + " " +
      (dir.path / "page").string());
  fs::path ppm;
  for (const auto& e : fs::directory_iterator(dir.path))
    if (e.path().extension() == ".ppm") ppm = e.path();
  ASSERT_FALSE(ppm.empty());
  Image img = read_ppm(ppm);
  double first[3], second[3];
  line_color(0, first);
  line_color(1, second);
  int blue = img.count_near(int(first[0] * 255), int(first[1] * 255), int(first[2] * 255), 12);
  int orange = img.count_near(int(second[0] * 255), int(second[1] * 255), int(second[2] * 255), 12);
  EXPECT_GT(blue, 500) << "nano-1's lines are missing from the charts";
  EXPECT_GT(orange, 100) << "rpi-1's temperature line is missing";
}

TEST(ReportPdf, AnEmptyScopeStillMakesAReadableReport) {
  ReportInputs in = lab_hour();
  in.scope = parse_fleet_scope("device:nowhere", "scope");
  ReportData d = build_report(in);
  EXPECT_TRUE(d.devices.empty());
  TempDir dir;
  fs::path file = dir.path / "empty.pdf";
  write_pdf(d, file);
  std::string text = run("pdftotext " + file.string() + " -");
  EXPECT_NE(text.find("No model was active"), std::string::npos);
  EXPECT_NE(text.find("no data in this range"), std::string::npos);
  EXPECT_NE(render_xlsx(d, dir.path).size(), 0u);
  EXPECT_EQ(parse_csv(render_csv(d)).rows.size(), 5 + report_definitions().size());
}

TEST(ReportChart, TicksAreRound) {
  EXPECT_EQ(nice_ticks(0.9, 5.95, 5), (std::vector<double>{1, 2, 3, 4, 5}));
  EXPECT_EQ(nice_ticks(38.2, 51.3, 5), (std::vector<double>{40, 42, 44, 46, 48, 50}));
  EXPECT_EQ(nice_ticks(-0.5, 0.5, 4), (std::vector<double>{-0.4, -0.2, 0, 0.2, 0.4}));
}

}  // namespace
}  // namespace edgeml::report
