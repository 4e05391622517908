// The transport against a real mosquitto: delivery confirmation, presence (birth, last will, clean shutdown),
// persistent sessions that hold commands for an offline device, shared subscriptions, many clients on one loop.
#include "mqtt/client.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "mosquitto_broker.hpp"
#include "mqtt/event_loop.hpp"
#include "mqtt_test_support.hpp"
#include "wire/device_status.hpp"
#include "wire/topics.hpp"

namespace edgeml::mqtt {
namespace {
using edgeml::testing::MosquittoBroker;
using testing::Inbox;
using testing::LoopedClient;
using testing::test_options;
using testing::wait_until;

TEST(MqttClient, QosOneDeliveryIsConfirmedPerMessage) {
  MosquittoBroker broker;
  Inbox inbox;
  auto sub_opts = test_options(broker.url(), "controller");
  sub_opts.subscriptions = {{"edgeml/+/telemetry", 1}};
  LoopedClient sub(sub_opts, inbox.callbacks());
  ASSERT_TRUE(wait_until([&] { return sub->connected(); }));

  std::mutex mu;
  std::vector<std::uint64_t> delivered;
  ClientCallbacks cb;
  cb.on_delivered = [&](std::uint64_t tag) {
    std::lock_guard lock(mu);
    delivered.push_back(tag);
  };
  LoopedClient dev(test_options(broker.url(), "nano-1"), cb);
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }));
  ASSERT_TRUE(wait_until([&] { return sub->counters().connects.load() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the SUBACK

  for (std::uint64_t i = 1; i <= 200; ++i)
    ASSERT_TRUE(dev->publish("edgeml/nano-1/telemetry", "sample " + std::to_string(i), 1, false, i));
  ASSERT_TRUE(inbox.wait_for(200));
  ASSERT_TRUE(wait_until([&] {
    std::lock_guard lock(mu);
    return delivered.size() == 200;
  }));
  {
    std::lock_guard lock(mu);
    std::set<std::uint64_t> tags(delivered.begin(), delivered.end());
    EXPECT_EQ(tags.size(), 200u);
    EXPECT_EQ(*tags.begin(), 1u);
    EXPECT_EQ(*tags.rbegin(), 200u);
  }
  auto got = inbox.all();
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].payload, "sample " + std::to_string(i + 1));  // in order
  EXPECT_EQ(dev->counters().published.load(), 200u);
  EXPECT_EQ(dev->counters().delivered.load(), 200u);
  EXPECT_EQ(dev->inflight(), 0u);
}

TEST(MqttClient, PublishWhileNotConnectedIsRefusedAndCounted) {
  MosquittoBroker broker;
  auto o = test_options(broker.url(), "nano-1");
  Client idle(o);  // on no loop: never connects
  EXPECT_FALSE(idle.publish("edgeml/nano-1/telemetry", "x"));
  EXPECT_EQ(idle.counters().publish_refused.load(), 1u);
}

// Presence: "online" after connect (birth), the last will when the link dies, "clean_shutdown" on close().
TEST(MqttClient, BirthLastWillAndCleanShutdown) {
  MosquittoBroker broker;
  wire::TopicScheme topics;
  Inbox statuses;
  auto obs_opts = test_options(broker.url(), "observer");
  obs_opts.subscriptions = {{topics.all_devices(wire::Channel::status), 1}};
  LoopedClient observer(obs_opts, statuses.callbacks());
  ASSERT_TRUE(wait_until([&] { return observer->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  auto device_options = [&] {
    auto o = test_options(broker.url(), "nano-1");
    auto status = topics.topic("nano-1", wire::Channel::status);
    o.will = OutgoingMessage{status, wire::encode(wire::last_will_status("nano-1")), 1, true};
    wire::DeviceStatus online;
    online.device = "nano-1";
    online.at = 1.7e9;
    online.agent_version = "0.1.0";
    o.birth = OutgoingMessage{status, wire::encode(online), 1, true};
    return o;
  };
  auto last = [&] { return wire::parse_device_status(statuses.all().back().payload, "nano-1"); };

  {
    LoopedClient dev(device_options());
    ASSERT_TRUE(statuses.wait_for(1));
    EXPECT_EQ(last().state, wire::Presence::online);
    // The link dies without DISCONNECT: the broker publishes the will.
    dev.loop.run_sync([&] { dev->drop_link(60); });
    ASSERT_TRUE(statuses.wait_for(2));
    EXPECT_EQ(last().reason, wire::PresenceReason::connection_lost);
    EXPECT_TRUE(wait_until([&] { return dev->counters().connection_lost.load() == 1; }));
  }
  {
    LoopedClient dev(device_options());
    ASSERT_TRUE(statuses.wait_for(3));
    EXPECT_EQ(last().state, wire::Presence::online);
    wire::DeviceStatus bye;
    bye.device = "nano-1";
    bye.state = wire::Presence::offline;
    bye.reason = wire::PresenceReason::clean_shutdown;
    bye.at = 1.7e9;
    EXPECT_TRUE(dev->close(OutgoingMessage{topics.topic("nano-1", wire::Channel::status), wire::encode(bye), 1, true}));
    ASSERT_TRUE(statuses.wait_for(4));
    EXPECT_EQ(last().reason, wire::PresenceReason::clean_shutdown);
    EXPECT_FALSE(dev->connected());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(statuses.size(), 4u);  // no last will after the clean DISCONNECT

  // A late subscriber learns the current state from the retained message.
  Inbox late;
  auto late_opts = test_options(broker.url(), "late");
  late_opts.subscriptions = {{topics.topic("nano-1", wire::Channel::status), 1}};
  LoopedClient late_client(late_opts, late.callbacks());
  ASSERT_TRUE(late.wait_for(1));
  EXPECT_TRUE(late.all()[0].retain);
  EXPECT_EQ(wire::parse_device_status(late.all()[0].payload).reason, wire::PresenceReason::clean_shutdown);
}

// Commands published while the agent is offline wait in its persistent session and arrive when it reconnects, for
// MQTT 5 (which needs the session expiry interval) and 3.1.1 alike.
class MqttSession : public ::testing::TestWithParam<Protocol> {};

TEST_P(MqttSession, QueuedCommandsReachADeviceThatWasOffline) {
  MosquittoBroker broker;
  auto agent_options = [&] {
    auto o = test_options(broker.url(), "pi5-7");
    o.protocol = GetParam();
    o.subscriptions = {{"edgeml/pi5-7/command", 1}};
    return o;
  };
  {
    LoopedClient agent(agent_options());
    ASSERT_TRUE(wait_until([&] { return agent->connected(); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    agent->close(std::nullopt);
  }
  LoopedClient controller(test_options(broker.url(), "controller"));
  ASSERT_TRUE(wait_until([&] { return controller->connected(); }));
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(controller->publish("edgeml/pi5-7/command", "command " + std::to_string(i), 1, false, i));
  ASSERT_TRUE(wait_until([&] { return controller->counters().delivered.load() == 3; }));

  Inbox inbox;
  std::atomic<bool> resumed{false};
  auto cb = inbox.callbacks();
  cb.on_connection = [&](const ConnectionEvent& e) { resumed = e.connected && e.session_present; };
  LoopedClient agent(agent_options(), cb);
  ASSERT_TRUE(inbox.wait_for(3));
  EXPECT_TRUE(resumed.load());
  auto got = inbox.all();
  EXPECT_EQ(got[0].payload, "command 1");
  EXPECT_EQ(got[2].payload, "command 3");
}

INSTANTIATE_TEST_SUITE_P(Protocols, MqttSession, ::testing::Values(Protocol::mqtt5, Protocol::mqtt311),
                         [](const auto& info) { return info.param == Protocol::mqtt5 ? "mqtt5" : "mqtt311"; });

TEST(MqttClient, SharedSubscriptionGivesEachMessageToOneMember) {
  MosquittoBroker broker;
  wire::TopicScheme topics;
  Inbox a, b;
  auto opts = [&](const std::string& id) {
    auto o = test_options(broker.url(), id);
    o.subscriptions = {{topics.shared("controllers", wire::Channel::telemetry), 1}};
    return o;
  };
  LoopedClient ca(opts("controller-a"), a.callbacks());
  LoopedClient cb(opts("controller-b"), b.callbacks());
  LoopedClient dev(test_options(broker.url(), "nano-1"));
  ASSERT_TRUE(wait_until([&] { return ca->connected() && cb->connected() && dev->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE(dev->publish(topics.topic("nano-1", wire::Channel::telemetry), std::to_string(i)));
  ASSERT_TRUE(wait_until([&] { return a.size() + b.size() == 200; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(a.size() + b.size(), 200u);  // each once
  EXPECT_GT(a.size(), 0u);
  EXPECT_GT(b.size(), 0u);
  std::set<std::string> all;
  for (auto& m : a.all()) all.insert(m.payload);
  for (auto& m : b.all()) all.insert(m.payload);
  EXPECT_EQ(all.size(), 200u);
}

TEST(MqttClient, OneLoopDrivesManyConnections) {
  MosquittoBroker broker;
  Inbox inbox;
  auto sub_opts = test_options(broker.url(), "controller");
  sub_opts.subscriptions = {{"edgeml/+/telemetry", 1}};
  LoopedClient sub(sub_opts, inbox.callbacks());
  ASSERT_TRUE(wait_until([&] { return sub->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  EventLoop loop;
  std::vector<std::unique_ptr<Client>> devices;
  for (int i = 0; i < 300; ++i) {
    auto o = test_options(broker.url(), "dev-" + std::to_string(i));
    o.log_connections = false;
    devices.push_back(std::make_unique<Client>(o));
    loop.add(*devices.back());
  }
  loop.start();
  ASSERT_TRUE(wait_until([&] {
    for (auto& d : devices)
      if (!d->connected()) return false;
    return true;
  }));
  for (int round = 0; round < 3; ++round)
    for (auto& d : devices)
      ASSERT_TRUE(d->publish("edgeml/" + d->options().client_id + "/telemetry", std::to_string(round)));
  ASSERT_TRUE(inbox.wait_for(900, 20));
  std::map<std::string, int> per_device;
  for (auto& m : inbox.all()) per_device[m.topic]++;
  EXPECT_EQ(per_device.size(), 300u);
  for (auto& [topic, n] : per_device) EXPECT_EQ(n, 3) << topic;
  ASSERT_TRUE(wait_until([&] {
    for (auto& d : devices)
      if (d->counters().delivered.load() != 3) return false;
    return true;
  }));
  devices.clear();  // each detaches from the running loop
  loop.stop();
}

}  // namespace
}  // namespace edgeml::mqtt
