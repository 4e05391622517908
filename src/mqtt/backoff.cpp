#include "mqtt/backoff.hpp"

#include <algorithm>

namespace edgeml::mqtt {

double Backoff::next_delay_s() {
  step_s_ = step_s_ == 0 ? min_s_ : std::min(max_s_, step_s_ * 2);
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return step_s_ * jitter(rng_);
}

}  // namespace edgeml::mqtt
