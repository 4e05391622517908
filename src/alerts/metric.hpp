#pragma once
// The quantities an alert rule can watch, each with its unit and where its value comes from. Names carry their unit
// (temperature_c, power_w, ...) because they cross the API and appear in notifications.
#include <string>
#include <vector>

namespace edgeml::alerts {

enum class Metric {
  temperature_c,               // hottest sensor of the device, degrees Celsius
  power_w,                     // board (or package) power, watts, where the device has a power source
  energy_per_inference_mj,     // measured energy of one inference, millijoules
  cpu_ratio,                   // busy share of all cores, 0..1
  memory_ratio,                // used share of RAM, 0..1
  storage_ratio,               // used share of the agent's state file system, 0..1
  inference_p50_s,             // median inference latency of the agent's loop, seconds
  device_offline,              // event: the controller cannot reach the device; value = seconds offline
  deploy_failed,               // event: a deployment to the device failed; value = none
  energy_vs_prediction_factor  // measured / predicted energy per inference (1.5 = 50% above the prediction)
};

struct MetricInfo {
  Metric metric;
  const char* name;         // as in the API: "temperature_c"
  const char* unit;         // "°C", "W", "mJ", "ratio 0..1", "s", "factor"
  const char* description;  // what the value is and where it comes from
  bool is_event;            // driven by device events (offline, deploy failed), not by a compared value
};

const MetricInfo& info(Metric m);
const std::vector<MetricInfo>& all_metrics();
const char* to_string(Metric m);
// Throws FieldError(field) listing the known names.
Metric parse_metric(const std::string& name, const std::string& field);

}  // namespace edgeml::alerts
