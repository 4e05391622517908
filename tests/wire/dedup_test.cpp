// De-duplication by (device, stream, seq) and the refusal counters.
#include "wire/dedup.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "wire/protocol_error.hpp"
#include "wire/refusals.hpp"

namespace edgeml::wire {
namespace {

std::vector<TelemetrySample> seqs(std::initializer_list<std::uint64_t> list) {
  std::vector<TelemetrySample> out;
  for (auto s : list) {
    TelemetrySample x;
    x.seq = s;
    x.t = 1000.0 + static_cast<double>(s);
    out.push_back(x);
  }
  return out;
}

std::vector<std::uint64_t> seq_of(const FreshSamples& f) {
  std::vector<std::uint64_t> out;
  for (const auto& s : f.samples) out.push_back(s.seq);
  return out;
}

TEST(WireDedup, KeepsWhatTheStoreDoesNotHave) {
  std::vector<std::uint64_t> stored{3, 4};
  auto f = drop_duplicates(seqs({2, 3, 4, 5, 5}), stored);
  EXPECT_EQ(seq_of(f), (std::vector<std::uint64_t>{2, 5}));
  EXPECT_EQ(f.duplicates, 3u);
}

TEST(WireDedup, StreamsAndDevicesAreSeparate) {
  MemorySequences store;
  TelemetryBatch first{"nano-1", "s1", seqs({1, 2, 3})};
  auto f1 = drop_duplicates(first, store);
  store.add(first.device, first.stream, f1.samples);
  EXPECT_EQ(f1.samples.size(), 3u);

  // The same batch again (QoS 1 redelivery): nothing new.
  auto again = drop_duplicates(first, store);
  EXPECT_TRUE(again.samples.empty());
  EXPECT_EQ(again.duplicates, 3u);

  // Resent from the oldest unacknowledged after an agent restart: only 4 and 5 are new.
  TelemetryBatch resent{"nano-1", "s1", seqs({2, 3, 4, 5})};
  auto f2 = drop_duplicates(resent, store);
  EXPECT_EQ(seq_of(f2), (std::vector<std::uint64_t>{4, 5}));
  store.add(resent.device, resent.stream, f2.samples);

  // A wiped agent starts a new stream at 1; another device has its own numbers.
  EXPECT_EQ(drop_duplicates(TelemetryBatch{"nano-1", "s2", seqs({1})}, store).samples.size(), 1u);
  EXPECT_EQ(drop_duplicates(TelemetryBatch{"pi-7", "s1", seqs({1})}, store).samples.size(), 1u);
  EXPECT_EQ(store.size(), 5u);
  EXPECT_EQ(store.stored_between("nano-1", "s1", 2, 4), (std::vector<std::uint64_t>{2, 3, 4}));
}

TEST(WireRefusals, CountsByReasonAndExports) {
  RefusalCounters c;
  c.count(ProtocolError(Refusal::wrong_device, "device", "x"));
  c.count(FieldError("payload", "malformed"));
  c.count(Error(ErrorKind::too_large, "big"));
  c.count(Refusal::duplicate);
  c.count(std::runtime_error("anything else"));
  EXPECT_EQ(c.get(Refusal::wrong_device), 1u);
  EXPECT_EQ(c.get(Refusal::malformed), 2u);
  EXPECT_EQ(c.get(Refusal::oversized), 1u);
  EXPECT_EQ(c.total(), 5u);
  EXPECT_EQ(c.to_json()["duplicate"], 1);
  auto text = c.prometheus("edgeml_mqtt_refused_total", "Messages refused, by reason.");
  EXPECT_NE(text.find("# TYPE edgeml_mqtt_refused_total counter"), std::string::npos);
  EXPECT_NE(text.find("edgeml_mqtt_refused_total{reason=\"malformed\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("edgeml_mqtt_refused_total{reason=\"expired\"} 0\n"), std::string::npos);
}

}  // namespace
}  // namespace edgeml::wire

#include "wire/ingest_metrics.hpp"

namespace edgeml::wire {
namespace {

TEST(WireIngestMetrics, CountsAndALagHistogramInPrometheusText) {
  IngestMetrics m;
  MemorySequences store;
  TelemetryBatch b{"nano-1", "s1", seqs({1, 2, 3})};
  b.samples[0].t = 100.0;   // stored at 100.03: lag 0.03 s
  b.samples[1].t = 99.0;    // 1.03 s
  b.samples[2].t = 100.05;  // clock ahead: counted in the first bucket
  auto fresh = drop_duplicates(b, store);
  store.add(b.device, b.stream, fresh.samples);
  m.record(fresh, 100.03);
  m.record(drop_duplicates(b, store), 100.5);  // the same batch again: only duplicates
  m.refused(ProtocolError(Refusal::unknown_version, "v", "v2"));
  EXPECT_EQ(m.stored(), 3u);
  EXPECT_EQ(m.duplicates(), 3u);
  auto text = m.prometheus();
  auto has = [&](const std::string& line) {
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line << "\n" << text;
  };
  has("edgeml_telemetry_samples_stored_total 3");
  has("edgeml_telemetry_samples_duplicate_total 3");
  has("edgeml_telemetry_messages_refused_total{reason=\"unknown_version\"} 1");
  has("# TYPE edgeml_telemetry_ingest_lag_seconds histogram");
  has("edgeml_telemetry_ingest_lag_seconds_bucket{le=\"0.01\"} 1");
  has("edgeml_telemetry_ingest_lag_seconds_bucket{le=\"0.05\"} 2");
  has("edgeml_telemetry_ingest_lag_seconds_bucket{le=\"1\"} 2");
  has("edgeml_telemetry_ingest_lag_seconds_bucket{le=\"2.5\"} 3");
  has("edgeml_telemetry_ingest_lag_seconds_bucket{le=\"+Inf\"} 3");
  has("edgeml_telemetry_ingest_lag_seconds_count 3");
}

}  // namespace
}  // namespace edgeml::wire
