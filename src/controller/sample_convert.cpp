#include "controller/sample_convert.hpp"

namespace edgeml::controller {

store::TelemetrySample to_stored_sample(long long device_id, const wire::TelemetrySample& s,
                                        const std::string& stream) {
  store::TelemetrySample out;
  out.device_id = device_id;
  out.t = s.t;
  out.cpu_ratio = s.cpu_usage_ratio;
  out.memory_ratio = s.memory_used_ratio;
  out.storage_ratio = s.storage_used_ratio;
  out.temp_c = s.temperature_c;
  out.power_w = s.power_w;
  out.energy_per_inference_j = s.energy_per_inference_j;
  out.inference_rate = s.inference_per_s;
  out.inference_p50_s = s.inference_latency_p50_s;
  out.idle_power_w = s.idle_power_w;
  out.duty_cycle = s.duty_cycle;
  out.energy_per_hour_mwh = s.energy_per_hour_mwh;
  out.active_model = s.active_model.value_or("");
  if (!stream.empty() && s.seq > 0) {
    out.stream = stream;
    out.seq = static_cast<long long>(s.seq);
  }
  return out;
}

}  // namespace edgeml::controller
