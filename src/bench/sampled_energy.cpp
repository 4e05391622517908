#include "bench/sampled_energy.hpp"

#include <chrono>

namespace edgeml::bench {

SampledEnergy::SampledEnergy(telemetry::Roots roots, double sample_hz) : collector_(std::move(roots), clock_) {
  auto first = collector_.sample();
  if (!first.power.available) {
    reason_ = first.power.reason;
    return;
  }
  name_ = first.power.source + (first.power.total_method.empty() ? "" : " (" + first.power.total_method + ")");
  const auto period = std::chrono::duration<double>(1.0 / sample_hz);
  sampler_ = std::thread([this, period] {
    while (!stop_) {
      auto s = collector_.sample();
      {
        std::lock_guard lock(mu_);
        last_joules_ = s.energy.available ? s.energy.total_joules : std::nullopt;
      }
      std::this_thread::sleep_for(period);
    }
  });
}

SampledEnergy::~SampledEnergy() {
  stop_ = true;
  if (sampler_.joinable()) sampler_.join();
}

std::optional<double> SampledEnergy::joules() {
  auto s = collector_.sample();  // a fresh reading at the run's edge, on top of the background ones
  std::lock_guard lock(mu_);
  last_joules_ = s.energy.available ? s.energy.total_joules : std::nullopt;
  return last_joules_;
}

std::optional<EnergySource> SampledEnergy::source() {
  if (!sampler_.joinable()) return std::nullopt;
  return EnergySource{name_, [this] { return joules(); }};
}

}  // namespace edgeml::bench
