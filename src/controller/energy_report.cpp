#include "controller/energy_report.hpp"

#include <map>
#include <vector>

#include "common/prometheus_text.hpp"

namespace edgeml::controller {

namespace {
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
}  // namespace

nlohmann::json energy_compare_row(const store::Device& d, const store::DeploymentRecord& dep,
                                  const std::optional<store::TelemetrySample>& m) {
  nlohmann::json row{{"device_id", d.id},
                     {"device", d.name},
                     {"device_type", d.device_type},
                     {"model", dep.model_name},
                     {"deployment_id", dep.id},
                     {"predicted_energy_mwh", opt(dep.energy_mwh)},
                     {"prediction_source", dep.energy_source},
                     {"predicted_per_inference_mj", opt(dep.predicted_per_inference_mj)}};
  const bool measured = m && m->energy_per_inference_j;
  if (measured) {
    const double mj = *m->energy_per_inference_j * 1000.0;
    row["measured_per_inference_mj"] = mj;
    row["measured_at"] = m->t;
    row["measured"] = {{"gross_energy_per_inference_mj", mj}, {"idle_power_w", opt(m->idle_power_w)},
                       {"duty_cycle", opt(m->duty_cycle)},    {"energy_per_hour_mwh", opt(m->energy_per_hour_mwh)},
                       {"power_w", opt(m->power_w)},          {"definition", kGrossDefinition}};
  } else {
    row["measured_per_inference_mj"] = nullptr;
    row["measured_unavailable"] = "no telemetry sample with energy per inference for " + dep.model_name +
                                  " (the agent reports energy only with a power source and a running inference loop)";
  }
  // An error only between like figures: both per inference, both gross.
  const bool per_inference_prediction = dep.predicted_per_inference_mj && *dep.predicted_per_inference_mj > 0;
  if (measured && per_inference_prediction) {
    const double mj = row["measured_per_inference_mj"].get<double>();
    row["error_pct"] = (mj - *dep.predicted_per_inference_mj) / *dep.predicted_per_inference_mj * 100.0;
  } else {
    row["error_pct"] = nullptr;
    if (!per_inference_prediction)
      row["error_unavailable"] =
          dep.energy_mwh ? "the deploy-time figure (" + dep.energy_source +
                               ") is energy per measured run with no known number of inferences (a duration-based "
                               "figure): nothing per inference to compare with"
                         : "no energy figure was known at deploy (" +
                               (dep.energy_source.empty() ? std::string("unavailable") : dep.energy_source) + ")";
    else
      row["error_unavailable"] = "no measured gross energy per inference yet";
  }
  return row;
}

namespace {
// Each device that runs a deployed model, with that deployment: two queries whatever the fleet's size, then one per
// such device (a simulated fleet of thousands without deployments costs nothing more).
std::vector<std::pair<store::Device, store::DeploymentRecord>> deployed_devices(store::Store& db) {
  std::map<long long, store::DeploymentRecord> last;
  for (auto& dep : db.deployments().last_succeeded_per_device()) last.emplace(dep.device_id, std::move(dep));
  std::vector<std::pair<store::Device, store::DeploymentRecord>> out;
  if (last.empty()) return out;
  for (auto& d : db.devices().all())
    if (auto it = last.find(d.id); it != last.end()) out.emplace_back(std::move(d), it->second);
  return out;
}
}  // namespace

nlohmann::json energy_compare(store::Store& db) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [d, dep] : deployed_devices(db))
    rows.push_back(energy_compare_row(d, dep, db.telemetry().latest_with_energy(d.id, dep.model_name)));
  return {{"success", true}, {"count", rows.size()}, {"definition", kGrossDefinition}, {"devices", rows}};
}

std::string energy_metrics_text(store::Store& db) {
  struct Measured {
    PromLabels labels;
    store::TelemetrySample sample;
  };
  std::vector<Measured> measured;
  for (const auto& [d, dep] : deployed_devices(db))
    if (auto m = db.telemetry().latest_with_energy(d.id, dep.model_name))
      measured.push_back({{{"device", d.name}, {"device_type", d.device_type}, {"model", dep.model_name}}, *m});
  PromText out;
  auto family = [&](const char* name, const char* help, auto field, double scale) {
    out.family(name, help, "gauge");
    for (const auto& x : measured)
      if (auto v = x.sample.*field) out.sample(name, x.labels, *v * scale);
  };
  using S = store::TelemetrySample;
  family("edgeml_device_gross_energy_per_inference_millijoules",
         "Device energy over the time inferences run divided by their count (the catalog's definition), as the "
         "device last reported it.",
         &S::energy_per_inference_j, 1000.0);
  family("edgeml_device_idle_power_watts", "Device power between inferences, as the device last reported it.",
         &S::idle_power_w, 1.0);
  family("edgeml_device_duty_cycle_ratio", "Share of time the device's inference loop runs inferences.", &S::duty_cycle,
         1.0);
  family("edgeml_device_energy_per_hour_milliwatt_hours", "Device energy per hour at its current rate.",
         &S::energy_per_hour_mwh, 1.0);
  return out.str();
}

}  // namespace edgeml::controller
