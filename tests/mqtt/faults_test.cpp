// Faults: a broker that goes away and comes back, a link that is cut or goes silent, an oversized message. Each is
// counted and the client keeps running and reconnecting.
#include <gtest/gtest.h>

#include <cstdio>

#include "mosquitto_broker.hpp"
#include "mqtt/client.hpp"
#include "mqtt/event_loop.hpp"
#include "mqtt_test_support.hpp"

namespace edgeml::mqtt {
namespace {
using edgeml::testing::MosquittoBroker;
using testing::Inbox;
using testing::LoopedClient;
using testing::TcpProxy;
using testing::test_options;
using testing::wait_until;

TEST(MqttFaults, ReconnectsWithBackoffWhenTheBrokerComesBack) {
  MosquittoBroker broker;
  std::atomic<int> ups{0}, downs{0};
  ClientCallbacks cb;
  cb.on_connection = [&](const ConnectionEvent& e) { (e.connected ? ups : downs)++; };
  auto o = test_options(broker.url(), "nano-1");
  o.reconnect_min_s = 0.2;
  o.reconnect_max_s = 0.8;
  LoopedClient dev(o, cb);
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }));

  broker.stop();
  ASSERT_TRUE(wait_until([&] { return downs.load() == 1; }));
  EXPECT_FALSE(dev->connected());
  EXPECT_FALSE(dev->publish("edgeml/nano-1/telemetry", "while down"));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  auto attempts_while_down = dev->counters().connect_attempts.load() - 1;
  auto failed = dev->counters().connect_failed.load();
  // Backoff 0.2 -> 0.8 s with jitter in [50%, 100%]: in 3 s at least 3 and at most 3 / (0.5 * 0.2) tries.
  EXPECT_GE(attempts_while_down, 3u);
  EXPECT_LE(attempts_while_down, 30u);
  EXPECT_EQ(failed, attempts_while_down);

  broker.start();
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }));
  EXPECT_EQ(ups.load(), 2);
  EXPECT_EQ(dev->counters().connects.load(), 2u);
  EXPECT_EQ(dev->counters().connection_lost.load(), 1u);
  EXPECT_TRUE(dev->publish("edgeml/nano-1/telemetry", "after"));
  EXPECT_TRUE(wait_until([&] { return dev->counters().delivered.load() == 1; }));
}

TEST(MqttFaults, ACutLinkIsNoticedAndRecovered) {
  MosquittoBroker broker;
  TcpProxy proxy(broker.port());
  auto o = test_options("mqtt://127.0.0.1:" + std::to_string(proxy.port()), "nano-1");
  LoopedClient dev(o);
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }));
  proxy.cut_all();  // a reset, as when a NAT mapping or a mobile link drops
  ASSERT_TRUE(wait_until([&] { return dev->counters().connection_lost.load() == 1; }));
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }));
  EXPECT_EQ(dev->counters().connects.load(), 2u);
}

// A link that silently drops everything: no error on the socket. Keep-alive finds it: the client when its PINGREQ
// goes unanswered, the broker after 1.5 x keep-alive (then it publishes the last will). Mosquitto 2.0 looks at
// keep-alives every 5 s, so its will comes up to ~5 s after the 1.5 x keep-alive mark (measured: 11.7 s at 5 s).
TEST(MqttFaults, ASilentLinkIsFoundByKeepAlive) {
  MosquittoBroker broker;
  TcpProxy proxy(broker.port());
  Inbox wills;
  auto obs = test_options(broker.url(), "observer");
  obs.subscriptions = {{"edgeml/+/status", 1}};
  LoopedClient observer(obs, wills.callbacks());
  ASSERT_TRUE(wait_until([&] { return observer->connected(); }));

  auto o = test_options("mqtt://127.0.0.1:" + std::to_string(proxy.port()), "nano-1");
  o.keepalive_s = 5;
  o.will = OutgoingMessage{"edgeml/nano-1/status", "offline", 1, true};
  LoopedClient dev(o);
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }));
  auto t0 = std::chrono::steady_clock::now();
  proxy.set_silent(true);
  ASSERT_TRUE(wills.wait_for(1, 15));
  double will_after_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(wills.all()[0].payload, "offline");
  EXPECT_LE(will_after_s, 1.5 * 5 + 6);  // 1.5 x keep-alive, plus mosquitto's 5 s check period and whole seconds
  std::printf("last will %.1f s after the link went silent (keep-alive 5 s)\n", will_after_s);
  ASSERT_TRUE(wait_until([&] { return !dev->connected(); }, 15));
  EXPECT_EQ(dev->counters().connection_lost.load(), 1u);
  proxy.set_silent(false);
  proxy.cut_all();
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }, 20));
}

// MQTT 3.1.1 has no maximum packet size: the client drops the message itself and counts it. MQTT 5 announces the
// limit in CONNECT, so the broker does not send it at all.
TEST(MqttFaults, OversizedMessagesAreDroppedAndCounted) {
  MosquittoBroker broker;
  Inbox v3, v5;
  auto o3 = test_options(broker.url(), "small-v3");
  o3.protocol = Protocol::mqtt311;
  o3.max_payload_bytes = 4096;
  o3.subscriptions = {{"edgeml/+/command", 1}};
  auto o5 = o3;
  o5.client_id = "small-v5";
  o5.protocol = Protocol::mqtt5;
  LoopedClient c3(o3, v3.callbacks()), c5(o5, v5.callbacks());
  LoopedClient pub(test_options(broker.url(), "controller"));
  ASSERT_TRUE(wait_until([&] { return c3->connected() && c5->connected() && pub->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(pub->publish("edgeml/x/command", std::string(20000, 'x')));
  ASSERT_TRUE(pub->publish("edgeml/x/command", "small"));
  ASSERT_TRUE(v3.wait_for(1));
  ASSERT_TRUE(v5.wait_for(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(v3.size(), 1u);
  EXPECT_EQ(v3.all()[0].payload, "small");
  EXPECT_EQ(c3->counters().received_oversized.load(), 1u);
  EXPECT_EQ(v5.size(), 1u);
  EXPECT_EQ(v5.all()[0].payload, "small");
  EXPECT_EQ(c5->counters().received_oversized.load(), 0u);  // never sent by the broker
  EXPECT_TRUE(c3->connected());
  EXPECT_TRUE(c5->connected());
}

}  // namespace
}  // namespace edgeml::mqtt
