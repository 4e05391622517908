#pragma once
// De-duplication of telemetry by (device, stream, seq) at the controller. Duplicates are normal: QoS 1 redelivers a
// message whose acknowledgement was lost, and an agent resends from its oldest unacknowledged sample after a restart.
// Only the store remembers what was stored (nothing to lose on a controller restart): it implements StoredSequences,
// and the pure function below keeps the samples it does not have.
//
// For the SQLite store: a UNIQUE index on (device, stream, seq) answers stored_between() with one range scan and also
// makes the insert itself idempotent (INSERT OR IGNORE), so two controllers sharing a subscription cannot store a
// sample twice even when they race.
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "wire/telemetry_sample.hpp"

namespace edgeml::wire {

class StoredSequences {
 public:
  virtual ~StoredSequences() = default;
  // The sequence numbers in [first, last] already stored for (device, stream), in any order.
  virtual std::vector<std::uint64_t> stored_between(const std::string& device, const std::string& stream,
                                                    std::uint64_t first, std::uint64_t last) const = 0;
};

struct FreshSamples {
  std::vector<TelemetrySample> samples;  // in the batch's order
  std::size_t duplicates = 0;            // already stored, or repeated within the batch
};

// Pure: the samples whose seq is not in `stored`, each seq once (its first occurrence).
FreshSamples drop_duplicates(const std::vector<TelemetrySample>& samples, std::span<const std::uint64_t> stored);
// Asks the store about the batch's seq range, then as above.
FreshSamples drop_duplicates(const TelemetryBatch& batch, const StoredSequences& store);

// An in-memory StoredSequences (tests, the fleet simulator's consumer). Thread-safe.
class MemorySequences final : public StoredSequences {
 public:
  std::vector<std::uint64_t> stored_between(const std::string& device, const std::string& stream, std::uint64_t first,
                                            std::uint64_t last) const override;
  void add(const std::string& device, const std::string& stream, std::span<const TelemetrySample> samples);
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::set<std::uint64_t>> seen_;
  std::size_t size_ = 0;
};

}  // namespace edgeml::wire
