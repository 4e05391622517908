#pragma once
// The telemetry table: samples per device, kept raw for a while, then averaged per minute, then deleted.
#include <optional>
#include <vector>

#include "store/records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<TelemetrySample>& telemetry_table();

class TelemetryStore {
 public:
  explicit TelemetryStore(Database& db) : db_(db) {}
  // One transaction for the batch; each sample's device is marked online and seen at the sample's time.
  void add(const std::vector<TelemetrySample>& samples);
  // Samples with (stream, seq) from MQTT agents, in one transaction: a sample whose (device, stream, seq) is stored
  // already is skipped (the UNIQUE index; also when two controllers race). Returns, per sample, whether it was new.
  // Each device is marked seen at its newest sample's time (online/offline comes from its status messages).
  std::vector<bool> add_sequenced(const std::vector<TelemetrySample>& samples);
  // How many samples of (device, stream) are stored with seq in [first, last] (tests, gap checks).
  long long count_sequenced(long long device_id, const std::string& stream, long long first, long long last);
  // Averages per `step` seconds (0 = raw samples), oldest first, at most 100,000.
  std::vector<TelemetrySample> range(long long device_id, double since, double until, double step);
  std::optional<TelemetrySample> latest_with_energy(long long device_id, const std::string& model);
  // Deletes samples older than keep_s; replaces raw samples older than raw_s by one average per minute.
  void apply_retention(double now, double keep_s, double raw_s);

 private:
  Database& db_;
};

}  // namespace edgeml::store
