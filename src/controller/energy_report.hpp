#pragma once
// Measured energy of each device's active model, with one definition everywhere (the agent's, the catalog's):
//   gross energy per inference = device energy over the time inferences actually run / their count;
//   idle power (between inferences), duty cycle (share of time inferences run), energy per hour at the current rate.
// GET /api/energy/compare sets it beside the figure the deploy's energy gate used, and shows an error only for
// like-for-like pairs: a per-inference figure against the measured gross per-inference figure. A figure per measured
// run of unknown length (a duration-based prediction) has no per-inference counterpart, and the row says so.
// /metrics exposes the same measured figures per device.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/records.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

inline constexpr const char* kGrossDefinition =
    "gross energy per inference = device energy over the time inferences run / their count";

// One device's comparison row (deployment = its last successful deploy; sample = the newest telemetry sample of that
// model with an energy figure, if any).
nlohmann::json energy_compare_row(const store::Device& device, const store::DeploymentRecord& deployment,
                                  const std::optional<store::TelemetrySample>& sample);
// {"success", "count", "definition", "devices": [...]} over every registered device that runs a deployed model.
nlohmann::json energy_compare(store::Store& db);
// Prometheus text: edgeml_device_gross_energy_per_inference_millijoules, _idle_power_watts, _duty_cycle_ratio,
// _energy_per_hour_milliwatt_hours (labels device, device_type, model), where a device has measured them.
std::string energy_metrics_text(store::Store& db);

}  // namespace edgeml::controller
