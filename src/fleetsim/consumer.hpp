#pragma once
// What arrives at the broker's far side: a stand-in for the controller's ingest, so the simulator can check its own
// claims without the controller. One MQTT client subscribes to <prefix>/+/telemetry (or an MQTT 5 shared subscription),
// parses each batch (refusing and counting bad ones), keeps each (device, stream, seq) once, and records the ingest
// lag of every new sample: its arrival here minus the time the device took it.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mqtt/client.hpp"
#include "mqtt/event_loop.hpp"
#include "wire/dedup.hpp"
#include "wire/ingest_metrics.hpp"
#include "wire/topics.hpp"

namespace edgeml::fleetsim {

struct ConsumerOptions {
  mqtt::ClientOptions client;  // broker, credentials, tls, protocol (subscriptions and client id are set here)
  std::string prefix = "edgeml";
  std::string shared_group;  // non-empty: $share/<group>/<prefix>/+/telemetry
};

struct ConsumerStats {
  std::uint64_t batches = 0, stored = 0, duplicates = 0, refused = 0;
  double lag_p50_s = 0, lag_p99_s = 0, lag_max_s = 0;
  double cpu_s = 0;  // the consumer's own thread
  nlohmann::json to_json() const;
};

class Consumer {
 public:
  explicit Consumer(ConsumerOptions options);
  ~Consumer();
  void start();
  bool connected() const;
  std::uint64_t stored() const { return store_.size(); }
  ConsumerStats stats() const;
  const wire::IngestMetrics& metrics() const { return metrics_; }
  void stop();

 private:
  void on_message(const mqtt::IncomingMessage& m);

  ConsumerOptions o_;
  wire::TopicScheme topics_;
  mqtt::EventLoop loop_;
  std::unique_ptr<mqtt::Client> client_;
  wire::MemorySequences store_;
  wire::IngestMetrics metrics_;  // what the controller will export on /metrics, counted the same way here
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<double> cpu_s_{0};
  mutable std::mutex mu_;
  std::vector<double> lags_;
};

}  // namespace edgeml::fleetsim
