#pragma once
// Reconnect delays: exponential from min to max, each drawn in [50%, 100%] of the current step ("equal jitter"), so
// thousands of devices that lost the same broker do not all come back in the same second. Seeded: reproducible.
#include <cstdint>
#include <random>

namespace edgeml::mqtt {

class Backoff {
 public:
  Backoff(double min_s, double max_s, std::uint64_t seed) : min_s_(min_s), max_s_(max_s), rng_(seed) {}
  // The wait before the next attempt; each call after a failure doubles the step (up to max).
  double next_delay_s();
  void reset() { step_s_ = 0; }  // after a successful connect
  double current_step_s() const { return step_s_; }

 private:
  double min_s_, max_s_;
  double step_s_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace edgeml::mqtt
