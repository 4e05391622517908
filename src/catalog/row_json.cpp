#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"

namespace edgeml::catalog {

namespace {
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
nlohmann::json opt(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json row_to_json(const ModelRow& r) {
  nlohmann::json flags = nlohmann::json::array(), details = nlohmann::json::array();
  for (const auto& f : r.flags) {
    if (std::find(flags.begin(), flags.end(), f.name) == flags.end()) flags.push_back(f.name);
    details.push_back({{"flag", f.name}, {"detail", f.detail}});
  }
  nlohmann::json j{{"model", r.model},
                   {"device_type", r.device_type},
                   {"params_m", opt(r.params_m)},
                   {"gflops", opt(r.gflops)},
                   {"gmacs", opt(r.gmacs)},
                   {"size_mb", opt(r.size_mb)},
                   {"input_size", r.input_size},
                   {"latency_avg_s", opt(r.latency_avg_s)},
                   {"latency_std_s", opt(r.latency_std_s)},
                   {"throughput_iter_per_s", opt(r.throughput_iter_per_s)},
                   {"energy_mwh", opt(r.energy_avg_mwh)},
                   {"energy_std_mwh", opt(r.energy_std_mwh)},
                   {"iterations_per_measurement", opt(r.iterations_per_measurement)},
                   {"duration_avg_s", opt(r.duration_avg_s)},
                   {"energy_per_inference_mj", opt(r.energy_per_inference_mj)},
                   {"avg_power_w", opt(r.avg_power_w)},
                   {"flags", flags},
                   {"flag_details", details},
                   {"source", r.source},
                   {"line", r.line}};
  if (!r.backend.empty()) j["backend"] = r.backend;
  if (r.threads) j["threads"] = *r.threads;
  if (!r.cpu_model.empty()) j["cpu_model"] = r.cpu_model;
  if (!r.notes.empty()) j["notes"] = r.notes;
  return j;
}

}  // namespace edgeml::catalog
