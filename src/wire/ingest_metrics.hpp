#pragma once
// What a controller counts about the telemetry it takes in, under the names the issue gives for /metrics:
//   edgeml_telemetry_samples_stored_total          samples stored (after de-duplication)
//   edgeml_telemetry_samples_duplicate_total       samples dropped as already stored
//   edgeml_telemetry_messages_refused_total{reason} messages refused (wire/protocol_error.hpp reasons)
//   edgeml_telemetry_ingest_lag_seconds            histogram: storing time minus the sample's own time
// Thread-safe (atomics); the route that serves /metrics appends prometheus().
#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "wire/dedup.hpp"
#include "wire/refusals.hpp"

namespace edgeml::wire {

class IngestMetrics {
 public:
  // Upper bounds of the lag buckets, seconds (then +Inf).
  static constexpr std::array<double, 12> kLagBucketsS{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  // The samples just stored from one batch (FreshSamples of drop_duplicates), stored at Unix time now_s.
  void record(const FreshSamples& stored, double now_s);
  void refused(const std::exception& e) { refusals_.count(e); }
  void refused(Refusal r) { refusals_.count(r); }

  std::uint64_t stored() const { return stored_.load(); }
  std::uint64_t duplicates() const { return duplicates_.load(); }
  std::uint64_t lag_count() const { return count_.load(); }
  const RefusalCounters& refusals() const { return refusals_; }
  std::string prometheus() const;

 private:
  std::atomic<std::uint64_t> stored_{0}, duplicates_{0}, count_{0};
  std::atomic<double> lag_sum_{0};
  std::array<std::atomic<std::uint64_t>, kLagBucketsS.size()> buckets_{};  // not cumulative; prometheus() sums
  RefusalCounters refusals_;
};

}  // namespace edgeml::wire
