#include "alerts/metric.hpp"

#include "common/error.hpp"

namespace edgeml::alerts {

const std::vector<MetricInfo>& all_metrics() {
  static const std::vector<MetricInfo> table = {
      {Metric::temperature_c, "temperature_c", "°C", "hottest temperature sensor of the device (telemetry)", false},
      {Metric::power_w, "power_w", "W",
       "board or package power from the device's power source (telemetry); absent without one", false},
      {Metric::energy_per_inference_mj, "energy_per_inference_mj", "mJ",
       "measured energy of one inference of the active model (telemetry)", false},
      {Metric::cpu_ratio, "cpu_ratio", "ratio 0..1", "busy share of all CPU cores since the previous sample", false},
      {Metric::memory_ratio, "memory_ratio", "ratio 0..1", "used share of RAM (1 - MemAvailable / MemTotal)", false},
      {Metric::storage_ratio, "storage_ratio", "ratio 0..1", "used share of the agent's state file system", false},
      {Metric::inference_p50_s, "inference_p50_s", "s", "median latency of the agent's inference loop", false},
      {Metric::device_offline, "device_offline", "s",
       "the controller cannot reach the device; the value is how long it has been offline", true},
      {Metric::deploy_failed, "deploy_failed", "", "a deployment to the device failed; resolves on the next success",
       true},
      {Metric::energy_vs_prediction_factor, "energy_vs_prediction_factor", "factor",
       "measured energy per inference divided by the energy predicted at deploy", false},
  };
  return table;
}

const MetricInfo& info(Metric m) {
  for (const auto& i : all_metrics())
    if (i.metric == m) return i;
  throw Error(ErrorKind::internal, "metric without a table entry");
}

const char* to_string(Metric m) { return info(m).name; }

Metric parse_metric(const std::string& name, const std::string& field) {
  std::string known;
  for (const auto& i : all_metrics()) {
    if (name == i.name) return i.metric;
    known += (known.empty() ? "" : ", ") + std::string(i.name);
  }
  throw FieldError(field, "unknown metric '" + name + "' (known: " + known + ")");
}

}  // namespace edgeml::alerts
