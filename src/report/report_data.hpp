#pragma once
// What a fleet/energy report says, independent of its format (CSV, XLSX, PDF): for a time range and a scope, per
// device and per model the measured energy per inference against the prediction made at deploy, time online,
// deployments and their failures, alerts, and power and temperature over time. Every figure either has a value from
// a real source or says why it is unavailable; report_definitions() defines each one, and every format prints them.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgeml::report {

struct TimeRange {
  double from_s = 0, to_s = 0;  // Unix seconds, from inclusive, to exclusive
  double length_s() const { return to_s - from_s; }
};

struct SeriesPoint {
  double t_s = 0;
  double value = 0;
};

struct DeviceSection {
  std::string name, device_type, group;
  double online_s = 0;  // see definitions: "online_s"
  int deploys = 0, deploy_failures = 0;
  int alerts_fired = 0;
  // Over every sample in the range (the series below may be averaged into fewer points for charts).
  std::optional<double> power_w_mean, power_w_max, temperature_c_mean, temperature_c_max;
  std::vector<SeriesPoint> power_w, temperature_c;  // oldest first
  std::string power_unavailable_reason;             // set when power_w is empty
  std::string temperature_unavailable_reason;       // set when temperature_c is empty
};

struct ModelEnergyRow {
  std::string device, device_type, model;
  double active_s = 0;  // time this model was the device's active one, within online time
  std::optional<double> measured_energy_per_inference_mj;
  size_t measured_samples = 0;
  std::string measured_unavailable_reason;
  std::optional<double> predicted_energy_per_inference_mj;
  std::string predicted_unavailable_reason;
  std::optional<double> measured_vs_predicted;  // measured / predicted
};

struct AlertRow {
  double at_s = 0;
  std::string rule, device, status, severity, metric, unit;  // status: firing | resolved
  std::optional<double> value;
};

struct ReportData {
  std::string title = "edgeml fleet energy report";
  TimeRange range;
  std::string scope = "all";  // as FleetScope prints it
  double generated_at_s = 0;
  std::vector<DeviceSection> devices;
  std::vector<ModelEnergyRow> models;
  std::vector<AlertRow> alerts;  // oldest first
};

// (figure, definition) for every figure a report shows, in the order the formats print them.
const std::vector<std::pair<std::string, std::string>>& report_definitions();

// Derived figures every format shows the same way.
double online_ratio(const DeviceSection& d, const TimeRange& r);  // online_s / range length

}  // namespace edgeml::report
