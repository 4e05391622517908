#include "controller/records_json.hpp"

namespace edgeml::controller {

namespace {
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
}  // namespace

nlohmann::json to_json(const Device& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"address", d.address},
          {"device_type", d.device_type},
          {"has_token", !d.token.empty()},
          {"created_at", d.created_at},
          {"last_seen", opt(d.last_seen)},
          {"status", d.online ? "online" : "offline"},
          {"online", d.online},
          {"last_error", d.last_error.empty() ? nlohmann::json() : nlohmann::json(d.last_error)},
          {"transport", d.transport}};
}

nlohmann::json to_json(const DeploymentRecord& r, const std::vector<StepRecord>& steps) {
  nlohmann::json st = nlohmann::json::array();
  for (const auto& s : steps)
    st.push_back({{"name", s.name},
                  {"status", s.status},
                  {"started_at", s.started_at},
                  {"duration_s", s.duration_s},
                  {"detail", s.detail}});
  return {{"deployment_id", r.id},
          {"rollout_id", r.rollout_id ? nlohmann::json(*r.rollout_id) : nlohmann::json()},
          {"kind", r.kind},
          {"device_id", r.device_id},
          {"device", r.device_name},
          {"device_ip", r.device_address},
          {"device_type", r.device_type},
          {"model", r.model_name},
          {"status", r.status},
          {"error", r.error.empty() ? nlohmann::json() : nlohmann::json(r.error)},
          {"failure_kind", r.failure_kind.empty() ? nlohmann::json() : nlohmann::json(r.failure_kind)},
          {"started_at", r.started_at},
          {"finished_at", opt(r.finished_at)},
          {"duration_s", r.finished_at ? nlohmann::json(*r.finished_at - r.started_at) : nlohmann::json()},
          {"energy_mwh", opt(r.energy_mwh)},
          {"energy_source", r.energy_source},
          {"max_energy", opt(r.max_energy)},
          {"force", r.forced},
          {"sha256", r.sha256},
          {"artifact_file", r.artifact_file},
          {"artifact_source", r.artifact_source},
          {"predicted_energy_per_inference_mj", opt(r.predicted_per_inference_mj)},
          {"weights", r.weights.empty() ? nlohmann::json() : nlohmann::json(r.weights)},
          {"steps", st}};
}

nlohmann::json to_json(const TelemetrySample& s) {
  return {{"t", s.t},
          {"cpu_usage_ratio", opt(s.cpu_ratio)},
          {"memory_used_ratio", opt(s.memory_ratio)},
          {"temperature_c", opt(s.temp_c)},
          {"power_w", opt(s.power_w)},
          {"energy_per_inference_j", opt(s.energy_per_inference_j)},
          {"storage_used_ratio", opt(s.storage_ratio)},
          {"inference_per_s", opt(s.inference_rate)},
          {"inference_latency_p50_s", opt(s.inference_p50_s)},
          {"idle_power_w", opt(s.idle_power_w)},
          {"duty_cycle", opt(s.duty_cycle)},
          {"energy_per_hour_mwh", opt(s.energy_per_hour_mwh)},
          {"active_model", s.active_model},
          {"seq", s.seq ? nlohmann::json(*s.seq) : nlohmann::json()}};
}

}  // namespace edgeml::controller
