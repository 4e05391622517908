#include "telemetry/history.hpp"

#include <stdexcept>

namespace edgeml::telemetry {

History::History(size_t capacity) : capacity_(capacity) {
  if (capacity_ == 0) throw std::invalid_argument("History capacity must be at least 1");
}

void History::push(Snapshot s) {
  std::lock_guard lock(mu_);
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(s));
    return;
  }
  ring_[next_] = std::move(s);
  next_ = (next_ + 1) % capacity_;
}

std::vector<Snapshot> History::since(double t_s) const {
  std::lock_guard lock(mu_);
  std::vector<Snapshot> out;
  size_t n = ring_.size();
  size_t start = n < capacity_ ? 0 : next_;  // oldest element
  for (size_t i = 0; i < n; ++i) {
    const Snapshot& s = ring_[(start + i) % n];
    if (s.timestamp_s > t_s) out.push_back(s);
  }
  return out;
}

size_t History::size() const {
  std::lock_guard lock(mu_);
  return ring_.size();
}

}  // namespace edgeml::telemetry
