#include "fleetsim/sample_walk.hpp"

#include <algorithm>
#include <cmath>

namespace edgeml::fleetsim {

SampleWalk::SampleWalk(const DeviceKind& kind, std::optional<ModelFigures> model, std::uint64_t seed)
    : kind_(kind), model_(std::move(model)), rng_(seed) {
  std::uniform_real_distribution<double> u(0, 1);
  cpu_level_ = 0.15 + 0.6 * u(rng_);  // some devices busy, some mostly idle
  cpu_ = cpu_level_;
  memory_level_ = 0.3 + 0.4 * u(rng_);
  memory_ = memory_level_;
  storage_ = 0.2 + 0.5 * u(rng_);
  temp_c_ = kind_.idle_temp_c + (kind_.max_temp_c - kind_.idle_temp_c) * 0.4 * cpu_;
}

wire::TelemetrySample SampleWalk::next(double t, double dt) {
  dt = std::clamp(dt, 0.0, 3600.0);
  // Ornstein-Uhlenbeck steps: pulled back to the level within ~20 s, noise scaled to the step.
  cpu_ += (cpu_level_ - cpu_) * std::min(1.0, dt / 20) + 0.05 * std::sqrt(dt) * gauss();
  cpu_ = std::clamp(cpu_, 0.01, 0.99);
  memory_ += (memory_level_ - memory_) * std::min(1.0, dt / 300) + 0.003 * std::sqrt(dt) * gauss();
  memory_ = std::clamp(memory_, 0.1, 0.95);
  storage_ = std::min(0.99, storage_ + 2e-8 * dt);  // logs and models accumulate slowly

  double power = kind_.idle_power_w + (kind_.loaded_power_w - kind_.idle_power_w) * cpu_;
  power = std::clamp(power * (1 + 0.02 * gauss()), 0.0, kind_.loaded_power_w * 1.05);
  // Steady temperature rises with power, toward 90% of the throttle point at full load; the board follows with a
  // time constant of about a minute.
  double load = (power - kind_.idle_power_w) / (kind_.loaded_power_w - kind_.idle_power_w);
  double target = kind_.idle_temp_c + (0.9 * kind_.max_temp_c - kind_.idle_temp_c) * std::clamp(load, 0.0, 1.0);
  temp_c_ += (target - temp_c_) * (1 - std::exp(-dt / 60)) + 0.1 * gauss();
  temp_c_ = std::clamp(temp_c_, kind_.idle_temp_c - 5, kind_.max_temp_c - 1);

  wire::TelemetrySample s;
  s.t = t;
  s.cpu_usage_ratio = cpu_;
  s.memory_used_ratio = memory_;
  s.storage_used_ratio = storage_;
  s.power_w = power;
  s.temperature_c = temp_c_;
  nlohmann::json detail{{"simulated", true}, {"device_type", kind_.device_type}};
  if (model_) {
    double latency = model_->latency_s * std::max(0.5, 1 + 0.03 * gauss());
    s.inference_latency_p50_s = latency;
    s.inference_per_s = 1 / latency;  // the agent's continuous loop runs back to back
    if (model_->energy_per_inference_j)
      s.energy_per_inference_j = *model_->energy_per_inference_j * std::max(0.5, 1 + 0.03 * gauss());
    s.active_model = model_->name;
    detail["model_source"] = model_->source;
  }
  s.detail = std::move(detail);
  return s;
}

}  // namespace edgeml::fleetsim
