#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"

namespace edgeml::catalog {

namespace {
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
nlohmann::json opt(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json provenance_to_json(const Provenance& p) {
  nlohmann::json j{{"origin", p.origin}, {"campaign", p.campaign}};
  auto text = [&](const char* key, const std::string& v) { j[key] = v.empty() ? nlohmann::json() : nlohmann::json(v); };
  text("device", p.device);
  text("agent_version", p.agent_version);
  text("backend", p.backend);
  text("sensor", p.sensor);
  text("model_sha256", p.model_sha256);
  j["threads"] = opt(p.threads);
  j["measured_at_s"] = opt(p.measured_at_s);
  return j;
}

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
                   {"source", r.provenance.origin},
                   {"source_file", r.source},
                   {"line", r.line}};
  nlohmann::json repaired = nlohmann::json::array(), repairs = nlohmann::json::array();
  for (const auto& rep : r.repairs) {
    repaired.push_back(rep.rule);
    nlohmann::json original = nlohmann::json::object();
    for (const auto& [column, value] : rep.original) original[column] = value;
    repairs.push_back({{"rule", rep.rule}, {"detail", rep.detail}, {"original", original}});
  }
  j["repaired"] = repaired;
  j["repairs"] = repairs;
  j["energy_per_run_only"] = r.energy_per_run_only();
  if (r.provenance.origin != kOriginFile) j["provenance"] = provenance_to_json(r.provenance);
  if (!r.backend.empty()) j["backend"] = r.backend;
  if (r.threads) j["threads"] = *r.threads;
  if (!r.cpu_model.empty()) j["cpu_model"] = r.cpu_model;
  if (!r.notes.empty()) j["notes"] = r.notes;
  return j;
}

}  // namespace edgeml::catalog
