#pragma once
// A fleet of simulated agents in one process: `devices` real MQTT clients (one connection and client id each) spread
// over `threads` event loops (mqtt/event_loop.hpp), each sampling at `hz`; a share of them loses its link once and
// comes back. The command line (edgeml fleet-sim) runs it and prints the summary.
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fleetsim/sample_walk.hpp"
#include "fleetsim/simulated_device.hpp"
#include "mqtt/client_options.hpp"
#include "mqtt/event_loop.hpp"

namespace edgeml::fleetsim {

struct FleetOptions {
  mqtt::BrokerUrl broker;
  mqtt::Credentials credentials;
  mqtt::TlsFiles tls;
  mqtt::Protocol protocol = mqtt::Protocol::mqtt5;
  std::string prefix = "edgeml";
  std::string name_prefix = "sim";  // devices are <name_prefix>-<index, 5 digits>
  int devices = 10;
  int first_index = 0;    // a worker process simulates [first_index, first_index + devices)
  int total_devices = 0;  // for phases and names across workers; 0 = devices
  double hz = 1;
  int threads = 2;
  std::uint64_t seed = 1;
  int keepalive_s = 30;
  double drop_share = 0;   // share of devices whose link is cut once, at a random time in the run
  double drop_for_s = 10;  // how long they stay away
  double run_s = 10;       // the drops fall within the first 70% of it
  std::size_t max_backlog = 3600;
  std::size_t max_batch = 50;
  std::size_t window = 4;
  std::vector<std::string> device_types{"jetson_nano", "rpi5"};  // assigned in turn
  std::vector<ModelFigures> models;  // per device type, assigned in turn; none = no inference figures
};

struct FleetTotals {
  std::uint64_t generated = 0, skipped = 0, sent = 0, acknowledged = 0, dropped = 0, messages = 0, backlog = 0,
                in_flight = 0, link_drops = 0;
  std::uint64_t connected = 0, connects = 0, reconnects = 0, connect_failures = 0, connect_refused = 0,
                connection_lost = 0, publish_refused = 0;
  nlohmann::json to_json() const;
  void add(const FleetTotals& o);
};

class Fleet {
 public:
  explicit Fleet(FleetOptions options);  // checks the options (FieldError naming the flag)
  ~Fleet();
  void start();                      // the clients connect; sampling starts, staggered over one period
  void stop_generating();            // no new samples; what is unsent still goes
  bool drained() const;              // nothing unsent or unconfirmed
  void close(double timeout_s = 5);  // each device says clean_shutdown and disconnects; loops stop
  FleetTotals totals() const;

 private:
  FleetOptions o_;
  wire::TopicScheme topics_;
  std::vector<std::unique_ptr<mqtt::EventLoop>> loops_;
  std::vector<std::vector<std::unique_ptr<SimulatedDevice>>> devices_;  // per loop
};

}  // namespace edgeml::fleetsim
