#pragma once
// The last N snapshots in a ring buffer (default 2 h at 1 Hz) for GET /telemetry/history. Thread-safe.
//
// Memory: a full Snapshot of the Orin fixture is ~4.1 KB (2.3 KB of fields, 1.8 KB of names, lists and reasons on the
// heap), ~30 MiB for 2 h -- more than the agent's 20 MB budget. Consecutive snapshots differ only in their numbers, so
// each entry keeps its numbers and shares one "shape" (the snapshot with numbers cleared) with its neighbours. since()
// rebuilds full snapshots. perf/telemetry measures the result (BM_HistoryFullHeap).
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

class History {
 public:
  explicit History(size_t capacity = 3600 * 2);
  void push(Snapshot s);                          // drops the oldest when full
  std::vector<Snapshot> since(double t_s) const;  // timestamp_s strictly after t_s, oldest first
  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    double timestamp_s = 0;
    std::shared_ptr<const Snapshot> shape;  // strings, counts and flags; numbers cleared
    std::vector<double> numbers;            // every number of the snapshot; NaN for an empty optional
  };
  Snapshot rebuild(const Entry& e) const;

  size_t capacity_;
  mutable std::mutex mu_;
  std::vector<Entry> ring_;
  size_t next_ = 0;  // where the next push goes once the ring is full
  std::shared_ptr<const Snapshot> last_shape_;
};

}  // namespace edgeml::telemetry
