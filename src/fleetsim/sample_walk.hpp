#pragma once
// Realistic samples for one simulated device: a seeded random walk. CPU load wanders around a level of its own
// (mean-reverting); board power follows the load between the device's idle and loaded draw; temperature follows power
// with a thermal lag of about a minute and stays below the throttle point; memory wanders; storage creeps up. With a
// benchmarked model (a catalog row) the device also reports that model's measured latency and energy per inference,
// with a few percent of run-to-run noise; without one those fields are null, as on an agent running no model.
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "fleetsim/device_kind.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::fleetsim {

// A benchmarked model as the catalog measured it on a device type.
struct ModelFigures {
  std::string name;
  std::string device_type;
  double latency_s = 0;
  std::optional<double> energy_per_inference_j;
  std::string source;  // "file.csv:line"
};

class SampleWalk {
 public:
  SampleWalk(const DeviceKind& kind, std::optional<ModelFigures> model, std::uint64_t seed);
  // The next sample, taken at Unix time t, dt seconds after the previous one (seq is left 0).
  wire::TelemetrySample next(double t, double dt);

 private:
  double gauss() { return normal_(rng_); }
  const DeviceKind& kind_;
  std::optional<ModelFigures> model_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  double cpu_level_, cpu_, memory_level_, memory_, storage_, temp_c_;
};

}  // namespace edgeml::fleetsim
