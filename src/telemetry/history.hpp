#pragma once
// The last N snapshots in a ring buffer (default 2 h at 1 Hz) for GET /telemetry/history. Thread-safe.
#include <cstddef>
#include <mutex>
#include <vector>

#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

class History {
 public:
  explicit History(size_t capacity = 3600 * 2);
  void push(Snapshot s);                              // drops the oldest when full
  std::vector<Snapshot> since(double t_s) const;      // timestamp_s strictly after t_s, oldest first
  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::vector<Snapshot> ring_;
  size_t next_ = 0;  // where the next push goes once the ring is full
};

}  // namespace edgeml::telemetry
