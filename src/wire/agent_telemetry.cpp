#include "wire/agent_telemetry.hpp"

#include <cmath>
#include <map>

#include "common/error.hpp"
#include "common/names.hpp"
#include "wire/fields.hpp"

namespace edgeml::wire {

namespace {
using ptr = nlohmann::json::json_pointer;

// Where each sample field sits in the agent's answer.
const std::map<std::string, ptr>& sources() {
  static const std::map<std::string, ptr> m{
      {"cpu_usage_ratio", ptr("/cpu/usage_ratio")},
      {"memory_used_ratio", ptr("/memory/used_ratio")},
      {"storage_used_ratio", ptr("/storage/used_ratio")},
      {"temperature_c", ptr("/thermal/max_celsius")},
      {"power_w", ptr("/power/total_watts")},
      {"energy_per_inference_j", ptr("/energy_model/per_inference_j")},
      {"inference_per_s", ptr("/inference/throughput_per_s")},
      {"inference_latency_p50_s", ptr("/inference/latency_p50_s")},
      {"idle_power_w", ptr("/energy_model/idle_power_w")},
      {"duty_cycle", ptr("/energy_model/duty_cycle")},
      {"energy_per_hour_mwh", ptr("/energy_model/energy_per_hour_mwh")},
  };
  return m;
}
}  // namespace

AgentSample sample_from_agent_telemetry(const nlohmann::json& j, bool keep_detail) {
  if (!j.is_object()) throw FieldError("telemetry", "the agent's telemetry must be a JSON object");
  AgentSample out;
  auto& s = out.sample;
  s.t = require_time(j, "timestamp_s");
  for (const auto& f : sample_number_fields()) {
    const auto& at = sources().at(f.name);
    if (!j.contains(at) || !j.at(at).is_number()) continue;  // absent or null: the agent has no such source
    double v = j.at(at).get<double>();
    bool below = f.range.min_exclusive ? v <= f.range.min : v < f.range.min;
    if (!std::isfinite(v) || below || v > f.range.max) {
      out.out_of_range.push_back(std::string(f.name) + "=" + j.at(at).dump());
      continue;
    }
    s.*f.member = v;
  }
  static const ptr model_at("/energy_model/model");
  if (j.contains(model_at) && j.at(model_at).is_string()) {
    auto name = j.at(model_at).get<std::string>();
    try {
      validate_name(name, "active_model");
      s.active_model = name;
    } catch (const FieldError&) {
      out.out_of_range.push_back("active_model");
    }
  }
  if (keep_detail) s.detail = j;
  return out;
}

}  // namespace edgeml::wire
