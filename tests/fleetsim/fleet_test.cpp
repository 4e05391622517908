// A small fleet against a real mosquitto: every sample arrives exactly once, each device is its own connection with
// presence (online, then clean_shutdown), and devices that lose their link come back and deliver their backlog.
#include "fleetsim/fleet.hpp"

#include <gtest/gtest.h>

#include <set>

#include "fleetsim/consumer.hpp"
#include "fleetsim/run.hpp"
#include "mosquitto_broker.hpp"
#include "mqtt_test_support.hpp"
#include "wire/device_status.hpp"

namespace edgeml::fleetsim {
namespace {
using edgeml::testing::MosquittoBroker;
using mqtt::testing::Inbox;
using mqtt::testing::LoopedClient;
using mqtt::testing::test_options;
using mqtt::testing::wait_until;

FleetOptions small_fleet(const MosquittoBroker& broker) {
  FleetOptions o;
  o.broker = mqtt::parse_broker_url(broker.url());
  o.devices = 20;
  o.hz = 5;
  o.threads = 2;
  o.run_s = 2;
  return o;
}

std::unique_ptr<Consumer> consumer_for(const MosquittoBroker& broker) {
  ConsumerOptions co;
  co.client = test_options(broker.url(), "consumer");
  auto c = std::make_unique<Consumer>(co);
  c->start();
  EXPECT_TRUE(wait_until([&] { return c->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return c;
}

TEST(FleetSim, EverySampleArrivesOnceWithPresence) {
  MosquittoBroker broker;
  auto consumer = consumer_for(broker);
  Inbox statuses;
  auto obs = test_options(broker.url(), "observer");
  obs.subscriptions = {{"edgeml/+/status", 1}};
  LoopedClient observer(obs, statuses.callbacks());
  ASSERT_TRUE(wait_until([&] { return observer->connected(); }));

  RunSettings run;
  run.seconds = 2;
  run.drain_s = 10;
  run.before_close = [&](const FleetTotals& t) { wait_until([&] { return consumer->stored() >= t.acknowledged; }); };
  auto r = run_fleet(small_fleet(broker), run);
  EXPECT_EQ(r.totals.connects, 20u);
  EXPECT_GE(r.totals.sent, 20u * 5 * 2 - 20);
  EXPECT_EQ(r.totals.sent, r.totals.generated);
  EXPECT_EQ(r.totals.acknowledged, r.totals.sent);
  EXPECT_EQ(r.totals.dropped, 0u);
  auto cs = consumer->stats();
  EXPECT_EQ(cs.stored, r.totals.sent);
  EXPECT_EQ(cs.duplicates, 0u);
  EXPECT_EQ(cs.refused, 0u);
  EXPECT_LT(cs.lag_p99_s, 5.0);
  EXPECT_GE(r.connect_s, 0);
  // The same figures as Prometheus text, as the controller's /metrics will show them.
  auto text = consumer->metrics().prometheus();
  EXPECT_NE(text.find("edgeml_telemetry_samples_stored_total " + std::to_string(r.totals.sent) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("edgeml_telemetry_ingest_lag_seconds_count " + std::to_string(r.totals.sent) + "\n"),
            std::string::npos);

  // Each device: online at connect, clean_shutdown at the end, each from its own client.
  ASSERT_TRUE(wait_until([&] { return statuses.size() >= 40; }));
  std::set<std::string> online, gone;
  for (const auto& m : statuses.all()) {
    auto s = wire::parse_device_status(m.payload);
    (s.state == wire::Presence::online ? online : gone).insert(s.device);
    if (s.state == wire::Presence::offline) {
      EXPECT_EQ(s.reason, wire::PresenceReason::clean_shutdown);
    }
  }
  EXPECT_EQ(online.size(), 20u);
  EXPECT_EQ(gone.size(), 20u);
  EXPECT_TRUE(online.count("sim-00000") && online.count("sim-00019"));
}

TEST(FleetSim, DevicesThatLoseTheirLinkComeBackAndDeliverTheirBacklog) {
  MosquittoBroker broker;
  auto consumer = consumer_for(broker);
  auto o = small_fleet(broker);
  o.drop_share = 0.5;
  o.drop_for_s = 0.5;
  o.run_s = 3;
  RunSettings run;
  run.seconds = 3;
  run.drain_s = 15;
  run.before_close = [&](const FleetTotals& t) { wait_until([&] { return consumer->stored() >= t.acknowledged; }); };
  auto r = run_fleet(o, run);
  EXPECT_GT(r.totals.link_drops, 3u);  // about half of 20
  EXPECT_LT(r.totals.link_drops, 17u);
  EXPECT_EQ(r.totals.reconnects, r.totals.link_drops);
  EXPECT_EQ(r.totals.connection_lost, r.totals.link_drops);
  EXPECT_EQ(r.totals.acknowledged, r.totals.generated);  // nothing lost to the drops
  EXPECT_EQ(consumer->stats().stored, r.totals.generated);
  // The backlog of a dropped device arrives late: its lag shows the time away.
  EXPECT_GT(consumer->stats().lag_max_s, 0.3);
}

TEST(FleetSim, RefusesBadOptions) {
  FleetOptions o;
  o.broker = mqtt::parse_broker_url("mqtt://127.0.0.1:1");
  auto refused = [&](FleetOptions bad, const std::string& field) {
    try {
      Fleet f(bad);
      ADD_FAILURE() << field;
    } catch (const FieldError& e) {
      EXPECT_EQ(e.field(), field);
    }
  };
  auto b = o;
  b.devices = 0;
  refused(b, "--devices");
  b = o;
  b.hz = 0;
  refused(b, "--hz");
  b = o;
  b.drop_share = 1.5;
  refused(b, "--drop-share");
  b = o;
  b.device_types = {"toaster"};
  refused(b, "--device-type");
  b = o;
  b.prefix = "a/+";
  refused(b, "--prefix");
}

}  // namespace
}  // namespace edgeml::fleetsim
