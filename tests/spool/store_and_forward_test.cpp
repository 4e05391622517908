// Store and forward end to end against a real mosquitto: an agent (spool + forwarder + MQTT client) produces samples
// while the broker is stopped and restarted, while the consumer (the controller's side) is away, and while the agent
// itself is killed and restarted. The consumer de-duplicates by (device, stream, seq) and must end with every sample
// the agent stored: no gap.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "mosquitto_broker.hpp"
#include "mqtt_test_support.hpp"
#include "spool/forwarder.hpp"
#include "spool_test_support.hpp"
#include "wire/dedup.hpp"
#include "wire/topics.hpp"

namespace edgeml::spool {
namespace {
using edgeml::testing::BrokerConfig;
using edgeml::testing::MosquittoBroker;
using mqtt::testing::test_options;
using mqtt::testing::wait_until;
using testing::nano_sample;
using testing::TempDir;

const wire::TopicScheme kTopics;

// The agent's side, wired as the agent will wire it.
struct Agent {
  Agent(const std::filesystem::path& dir, const std::string& url)
      : spool(dir, {}, clock),
        forwarder(
            spool, {"nano-1", kTopics.topic("nano-1", wire::Channel::telemetry), 20, 256 * 1024, 4, 5},
            [this](const std::string& topic, const std::string& payload, std::uint64_t tag) {
              return client->publish(topic, payload, 1, false, tag);
            },
            clock) {
    auto o = test_options(url, "nano-1");
    o.reconnect_min_s = 0.1;
    o.reconnect_max_s = 0.3;
    mqtt::ClientCallbacks cb;
    cb.on_delivered = [this](std::uint64_t tag) { forwarder.on_delivered(tag); };
    cb.on_connection = [this](const mqtt::ConnectionEvent& e) {
      e.connected ? forwarder.on_connected() : forwarder.on_disconnected();
    };
    client = std::make_unique<mqtt::Client>(o, cb);
    loop.add(*client);
    loop.start();
  }
  ~Agent() {
    stop_producing();
    client.reset();
    loop.stop();
  }
  void produce(double hz) {
    producer = std::thread([this, hz] {
      while (!stop) {
        spool.append(nano_sample(clock.now_s()));
        forwarder.pump();
        std::this_thread::sleep_for(std::chrono::duration<double>(1 / hz));
      }
    });
  }
  void stop_producing() {
    stop = true;
    if (producer.joinable()) producer.join();
  }

  SystemClock clock;
  TelemetrySpool spool;
  Forwarder forwarder;
  mqtt::EventLoop loop;
  std::unique_ptr<mqtt::Client> client;
  std::atomic<bool> stop{false};
  std::thread producer;
};

// The controller's side: stores each new (device, stream, seq) once in `store` (which outlives it, as a database).
struct Consumer {
  Consumer(const std::string& url, wire::MemorySequences& s) : store(s) {
    auto o = test_options(url, "controller");
    o.subscriptions = {{kTopics.all_devices(wire::Channel::telemetry), 1}};
    mqtt::ClientCallbacks cb;
    cb.on_message = [this](const mqtt::IncomingMessage& m) {
      auto batch = wire::parse_telemetry_batch(m.payload, kTopics.parse(m.topic).device);
      auto fresh = wire::drop_duplicates(batch, store);
      store.add(batch.device, batch.stream, fresh.samples);
      duplicates += fresh.duplicates;
    };
    client = std::make_unique<mqtt::testing::LoopedClient>(o, cb);
  }
  wire::MemorySequences& store;
  std::atomic<std::size_t> duplicates{0};
  std::unique_ptr<mqtt::testing::LoopedClient> client;
};

// The last sequence number the agent stored (acknowledged segments are deleted, so the mark may be past the disk).
std::uint64_t last_stored(const TelemetrySpool& spool) {
  auto st = spool.stats();
  return std::max(st.acked_seq, st.last_seq);
}

void expect_no_gap(const Consumer& c, const TelemetrySpool& spool, std::uint64_t last) {
  auto stored = c.store.stored_between("nano-1", spool.stream(), 1, last);
  ASSERT_EQ(stored.size(), last);
  for (std::uint64_t i = 0; i < last; ++i) ASSERT_EQ(stored[i], i + 1);
}

TEST(StoreAndForward, BrokerStoppedMidStreamLeavesNoGap) {
  BrokerConfig cfg;
  cfg.persistence = true;  // the consumer's session (and what is queued for it) survives the restart
  MosquittoBroker broker(cfg);
  TempDir d;
  wire::MemorySequences store;
  Consumer consumer(broker.url(), store);
  ASSERT_TRUE(wait_until([&] { return (*consumer.client)->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Agent agent(d / "spool", broker.url());
  agent.produce(50);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  broker.stop();
  std::this_thread::sleep_for(std::chrono::seconds(2));  // samples pile up in the spool
  auto during = agent.spool.stats();
  EXPECT_GT(during.unacked, 20u);
  broker.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  agent.stop_producing();
  auto last = last_stored(agent.spool);
  ASSERT_TRUE(wait_until([&] { return consumer.store.size() >= last; }, 20)) << consumer.store.size() << " of " << last;
  expect_no_gap(consumer, agent.spool, last);
  ASSERT_TRUE(wait_until([&] { return agent.spool.acked() == last; }));
  EXPECT_GE(agent.client->counters().connects.load(), 2u);
}

TEST(StoreAndForward, ConsumerAwayForAWhileLeavesNoGap) {
  MosquittoBroker broker;
  TempDir d;
  wire::MemorySequences store;
  auto consumer = std::make_unique<Consumer>(broker.url(), store);
  ASSERT_TRUE(wait_until([&] { return (*consumer->client)->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Agent agent(d / "spool", broker.url());
  agent.produce(50);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  (*consumer->client)->close(std::nullopt);  // the controller stops; its persistent session stays at the broker
  consumer.reset();
  auto stored_before = store.size();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(store.size(), stored_before);
  Consumer again(broker.url(), store);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  agent.stop_producing();
  auto last = last_stored(agent.spool);
  ASSERT_TRUE(wait_until([&] { return store.size() >= last; }, 20)) << store.size() << " of " << last;
  expect_no_gap(again, agent.spool, last);
}

// The agent is killed (SIGKILL) mid-stream and started again on the same spool: it resends from its oldest
// unacknowledged sample; the consumer drops the duplicates and has no gap.
TEST(StoreAndForward, AgentKilledAndRestartedLeavesNoGap) {
  MosquittoBroker broker;
  TempDir d;
  wire::MemorySequences store;
  Consumer consumer(broker.url(), store);
  ASSERT_TRUE(wait_until([&] { return (*consumer.client)->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    {
      Agent agent(d / "spool", broker.url());
      agent.produce(200);
      std::this_thread::sleep_for(std::chrono::seconds(60));
    }
    ::_exit(0);
  }
  ASSERT_TRUE(wait_until([&] { return consumer.store.size() >= 200; }, 20));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  Agent restarted(d / "spool", broker.url());
  auto last = last_stored(restarted.spool);
  ASSERT_GE(last, 200u);
  ASSERT_TRUE(wait_until([&] { return consumer.store.size() >= last; }, 20)) << consumer.store.size() << " of " << last;
  expect_no_gap(consumer, restarted.spool, last);
  ASSERT_TRUE(wait_until([&] { return restarted.spool.acked() == last; }));
  std::printf("after SIGKILL: %llu samples, %zu duplicates dropped by the consumer\n",
              static_cast<unsigned long long>(last), consumer.duplicates.load());
}

}  // namespace
}  // namespace edgeml::spool
