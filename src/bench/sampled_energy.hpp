#pragma once
// Energy for a benchmark run outside the agent (the edgeml bench command): the machine's own telemetry collector
// (INA3221/hwmon power, RAPL counters) sampled in the background, so power readings are integrated at a steady rate
// rather than only at the start and end of each run. Absent a power source, source() is empty and reason() says why.
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "bench/energy_source.hpp"
#include "common/clock.hpp"
#include "telemetry/collector.hpp"

namespace edgeml::bench {

class SampledEnergy {
 public:
  SampledEnergy(telemetry::Roots roots, double sample_hz = 10.0);
  ~SampledEnergy();
  SampledEnergy(const SampledEnergy&) = delete;
  SampledEnergy& operator=(const SampledEnergy&) = delete;

  std::optional<EnergySource> source();  // nullopt when the machine has no power source
  const std::string& reason() const { return reason_; }

 private:
  std::optional<double> joules();
  SystemClock clock_;
  telemetry::Collector collector_;
  std::mutex mu_;
  std::optional<double> last_joules_;
  std::string reason_, name_;
  std::atomic<bool> stop_{false};
  std::thread sampler_;
};

}  // namespace edgeml::bench
