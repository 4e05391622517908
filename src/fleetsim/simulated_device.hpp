#pragma once
// One simulated agent: its own MQTT client (client id = device name, own connection, last will and status like the
// agent), samples from its SampleWalk at the fleet's rate, an in-memory backlog while offline (bounded: the oldest are
// dropped and counted, as the agent's spool does), and QoS 1 batches within a small window, counted when the broker
// confirms them. Everything but construction and close() runs on its EventLoop's thread.
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "fleetsim/sample_walk.hpp"
#include "mqtt/client.hpp"
#include "wire/topics.hpp"

namespace edgeml::fleetsim {

struct DeviceCounts {
  std::atomic<std::uint64_t> generated{0};     // samples made
  std::atomic<std::uint64_t> skipped{0};       // samples not made because the simulator fell behind its schedule
  std::atomic<std::uint64_t> sent{0};          // samples published (each once)
  std::atomic<std::uint64_t> acknowledged{0};  // samples whose batch the broker confirmed
  std::atomic<std::uint64_t> dropped{0};       // samples pushed out of a full backlog, never sent
  std::atomic<std::uint64_t> messages{0};      // batches published
  std::atomic<std::uint64_t> link_drops{0};    // planned link losses carried out
  std::atomic<std::uint64_t> backlog{0};       // unsent now
  std::atomic<std::uint64_t> in_flight{0};     // sent, not yet confirmed (samples)
};

struct DeviceSettings {
  std::string name;
  const DeviceKind* kind = nullptr;
  std::optional<ModelFigures> model;
  std::uint64_t seed = 1;
  mqtt::ClientOptions client;  // broker, credentials, keep-alive (client_id, will, status set here)
  const wire::TopicScheme* topics = nullptr;
  double period_s = 1;
  double first_sample_mono_s = 0;        // the first sample's time (monotonic), staggered across the fleet
  std::optional<double> drop_at_mono_s;  // when the link is cut (once), if this device drops
  double drop_for_s = 10;
  std::size_t max_backlog = 3600;
  std::size_t max_batch = 50;
  std::size_t window = 4;  // batches awaiting confirmation
};

class SimulatedDevice {
 public:
  explicit SimulatedDevice(DeviceSettings s);
  mqtt::Client& client() { return *client_; }
  const mqtt::Client& client() const { return *client_; }
  const std::string& name() const { return s_.name; }
  const DeviceCounts& counts() const { return counts_; }

  // Loop thread: makes the samples that are due, cuts the link when planned, publishes what the window allows.
  void tick(double mono_now, double wall_now);
  void stop_generating() { generating_ = false; }
  bool drained() const { return counts_.backlog.load() == 0 && counts_.in_flight.load() == 0; }
  // Not on the loop thread: "offline, clean_shutdown" then DISCONNECT.
  void close(double timeout_s);

 private:
  void publish_batches();
  void on_delivered(std::uint64_t tag);
  void on_connection(const mqtt::ConnectionEvent& e);

  DeviceSettings s_;
  SampleWalk walk_;
  std::unique_ptr<mqtt::Client> client_;
  std::string telemetry_topic_, status_topic_, stream_;
  DeviceCounts counts_;
  std::atomic<bool> generating_{true};
  double next_sample_mono_s_;
  double last_sample_wall_s_ = 0;
  std::uint64_t next_seq_ = 1, next_tag_ = 1;
  std::deque<wire::TelemetrySample> backlog_;
  struct InFlight {
    std::uint64_t tag;
    std::size_t samples;
  };
  std::deque<InFlight> window_;
};

}  // namespace edgeml::fleetsim
