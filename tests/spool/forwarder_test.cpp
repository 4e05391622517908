// The forwarder against an in-process transport: batching, the in-flight window, acknowledging in order only,
// nothing sent while disconnected, a stalled window sent again, an unreadable record skipped.
#include "spool/forwarder.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "spool_test_support.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::spool {
namespace {
using testing::nano_sample;
using testing::TempDir;

struct FakeTransport {
  struct Sent {
    std::uint64_t tag;
    wire::TelemetryBatch batch;
  };
  std::vector<Sent> sent;
  bool accept = true;
  Forwarder::Publish publish() {
    return [this](const std::string& topic, const std::string& payload, std::uint64_t tag) {
      EXPECT_EQ(topic, "edgeml/nano-1/telemetry");
      if (!accept) return false;
      sent.push_back({tag, wire::parse_telemetry_batch(payload, "nano-1")});
      return true;
    };
  }
};

ForwarderOptions options(std::size_t batch, std::size_t window) {
  ForwarderOptions o;
  o.device = "nano-1";
  o.topic = "edgeml/nano-1/telemetry";
  o.max_batch_samples = batch;
  o.window = window;
  return o;
}

TEST(Forwarder, BatchesWithinTheWindowAndAcknowledgesInOrder) {
  TempDir d;
  ManualClock clock;
  TelemetrySpool spool(d.path, {}, clock);
  for (int i = 0; i < 120; ++i) spool.append(nano_sample(clock.now_s()));
  FakeTransport t;
  Forwarder fw(spool, options(50, 2), t.publish(), clock);
  fw.pump();
  EXPECT_TRUE(t.sent.empty());  // not connected yet
  fw.on_connected();
  ASSERT_EQ(t.sent.size(), 2u);  // the window is full
  EXPECT_EQ(t.sent[0].batch.samples.front().seq, 1u);
  EXPECT_EQ(t.sent[0].batch.samples.back().seq, 50u);
  EXPECT_EQ(t.sent[1].batch.samples.front().seq, 51u);
  EXPECT_EQ(t.sent[0].batch.stream, spool.stream());
  EXPECT_DOUBLE_EQ(*t.sent[0].batch.samples[0].power_w, 0.933);

  fw.on_delivered(t.sent[1].tag);  // the second batch first: the spool must wait for the first
  EXPECT_EQ(spool.acked(), 0u);
  EXPECT_EQ(t.sent.size(), 2u);
  fw.on_delivered(t.sent[0].tag);
  EXPECT_EQ(spool.acked(), 100u);
  ASSERT_EQ(t.sent.size(), 3u);  // room again: 101-120
  EXPECT_EQ(t.sent[2].batch.samples.size(), 20u);
  fw.on_delivered(t.sent[2].tag);
  EXPECT_EQ(spool.acked(), 120u);
  auto st = fw.stats();
  EXPECT_EQ(st.samples_confirmed, 120u);
  EXPECT_EQ(st.batches_sent, 3u);
  EXPECT_EQ(st.in_flight, 0u);
}

TEST(Forwarder, StopsWhenDisconnectedOrRefusedAndGoesOnAfter) {
  TempDir d;
  ManualClock clock;
  TelemetrySpool spool(d.path, {}, clock);
  FakeTransport t;
  Forwarder fw(spool, options(10, 4), t.publish(), clock);
  fw.on_connected();
  spool.append(nano_sample(clock.now_s()));
  t.accept = false;
  fw.pump();
  EXPECT_EQ(fw.stats().publish_refused, 1u);
  fw.on_disconnected();
  t.accept = true;
  for (int i = 0; i < 5; ++i) spool.append(nano_sample(clock.now_s()));
  fw.pump();
  EXPECT_TRUE(t.sent.empty());
  fw.on_connected();
  ASSERT_EQ(t.sent.size(), 1u);
  EXPECT_EQ(t.sent[0].batch.samples.size(), 6u);  // everything since the last confirmation, in one batch
}

TEST(Forwarder, AStalledWindowIsSentAgainFromTheOldestUnconfirmed) {
  TempDir d;
  ManualClock clock;
  TelemetrySpool spool(d.path, {}, clock);
  for (int i = 0; i < 30; ++i) spool.append(nano_sample(clock.now_s()));
  FakeTransport t;
  auto o = options(10, 3);
  o.ack_timeout_s = 30;
  Forwarder fw(spool, o, t.publish(), clock);
  fw.on_connected();
  ASSERT_EQ(t.sent.size(), 3u);
  fw.on_delivered(t.sent[0].tag);  // 1-10 confirmed; 11-20 and 21-30 never are
  EXPECT_EQ(spool.acked(), 10u);
  clock.advance(31);
  fw.pump();
  ASSERT_EQ(t.sent.size(), 5u);
  EXPECT_EQ(t.sent[3].batch.samples.front().seq, 11u);
  EXPECT_EQ(fw.stats().resends, 1u);
  // A confirmation of a batch given up arrives late: it confirms nothing (the resend has its own tags).
  fw.on_delivered(t.sent[2].tag);
  EXPECT_EQ(spool.acked(), 10u);
  fw.on_delivered(t.sent[3].tag);
  fw.on_delivered(t.sent[4].tag);
  EXPECT_EQ(spool.acked(), 30u);
}

TEST(Forwarder, AnUnreadableRecordIsSkippedAndAcknowledgedAway) {
  TempDir d;
  ManualClock clock;
  {
    TelemetrySpool spool(d.path, {}, clock);
    spool.append(nano_sample(clock.now_s()));
  }
  // Record 2: intact on disk (its CRC is right) but not a sample, as after a format change.
  for (const auto& e : std::filesystem::directory_iterator(d.path))
    if (e.path().extension() == ".seg") {
      auto rec = encode_record(2, clock.now_s(), "{\"not\": \"a sample\"}");
      std::ofstream(e.path(), std::ios::app | std::ios::binary) << rec;
    }
  TelemetrySpool spool(d.path, {}, clock);
  spool.append(nano_sample(clock.now_s()));  // 3
  FakeTransport t;
  Forwarder fw(spool, options(10, 2), t.publish(), clock);
  fw.on_connected();
  ASSERT_EQ(t.sent.size(), 1u);
  ASSERT_EQ(t.sent[0].batch.samples.size(), 2u);
  EXPECT_EQ(t.sent[0].batch.samples[0].seq, 1u);
  EXPECT_EQ(t.sent[0].batch.samples[1].seq, 3u);
  EXPECT_EQ(fw.stats().unreadable, 1u);
  fw.on_delivered(t.sent[0].tag);
  EXPECT_EQ(spool.acked(), 3u);
}

}  // namespace
}  // namespace edgeml::spool
