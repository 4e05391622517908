#pragma once
// The MQTT transport (edgeml-controller --mqtt mqtt://HOST:PORT): one client with a persistent session subscribed to
// every device's telemetry, status and events (wire/topics.hpp). The controller never opens a connection to an
// MQTT-mode agent; the agent connects out to the broker (a fleet behind NAT).
//   telemetry -> TelemetryIngest (store, de-duplicated by (device, stream, seq), IngestMetrics)
//   status    -> the device online/offline with the reason (retained; the broker's last will says connection_lost)
//   events    -> the command's record (commands table) and the deployment waiting on it
//   commands  <- deploy and rollback: stored first (commands table), published QoS 1 on <prefix>/<device>/command, and
//                published again each time the device comes online until it accepted them or they expired. The agent
//                runs each id once (its journal), so a resend never runs anything twice.
// Every refused message (malformed, oversized, unknown version, another device's, an unknown device) is counted and
// logged; nothing of it is applied.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.hpp"
#include "controller/device_directory.hpp"
#include "controller/device_transport.hpp"
#include "controller/event_hub.hpp"
#include "controller/telemetry_ingest.hpp"
#include "mqtt/client.hpp"
#include "mqtt/event_loop.hpp"
#include "store/store.hpp"
#include "wire/event.hpp"
#include "wire/refusals.hpp"
#include "wire/topics.hpp"

namespace edgeml::controller {

struct MqttSettings {
  std::string url;  // mqtt://HOST[:PORT] or mqtts://HOST[:PORT]
  std::string prefix = "edgeml";
  std::string client_id = "edgeml-controller";
  // Several controllers: telemetry through the MQTT 5 shared subscription $share/<group>/... (each message to one
  // controller); status and events still reach every controller (the one waiting on a command needs its events).
  std::string share_group;
  mqtt::Credentials credentials;  // mqtt::credentials_from_env
  mqtt::TlsFiles tls;
  int keepalive_s = 30;
  IngestSettings ingest;
};

class MqttTransport final : public DeviceTransport {
 public:
  // Checks the settings (FieldError naming the flag); connects at start().
  MqttTransport(MqttSettings settings, store::Store& db, EventHub& events, const Clock& clock);
  ~MqttTransport() override;
  void start();
  // Disconnects cleanly, then stores the telemetry still queued.
  void stop();

  std::string_view name() const override { return "mqtt"; }
  CommandResult deploy(const store::Device& device, const DeployOrder& order, CommandWatcher& watcher) override;
  CommandResult rollback(const store::Device& device, long long deployment_id, double timeout_s,
                         CommandWatcher& watcher) override;

  bool connected() const;
  TelemetryIngest& ingest() { return ingest_; }
  // Told of stored telemetry and of presence (status messages); set before start().
  void set_observer(FleetObserver* observer) {
    observer_ = observer;
    ingest_.set_observer(observer);
  }
  // Prometheus text: ingest figures (edgeml_telemetry_*), the client's counters, refused status/event messages.
  std::string prometheus() const;

 private:
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<wire::Event> events;
  };
  // Reacts to one event of the running command; returns the result once the command ended.
  using OnEvent = std::function<std::optional<CommandResult>(const wire::Event&)>;
  CommandResult run_command(const store::Device& device, const wire::CommandPayload& payload,
                            std::optional<long long> deployment_id, double timeout_s, CommandWatcher& watcher,
                            const OnEvent& on_event);
  void publish_command(const std::string& device, const std::string& command_id, const std::string& message);
  void on_message(const mqtt::IncomingMessage& m);
  void on_connection(const mqtt::ConnectionEvent& e);
  void on_telemetry(const std::string& device, std::string_view payload);
  void on_status(const std::string& device, std::string_view payload);
  void on_event(const std::string& device, std::string_view payload);
  void refuse(const std::string& what, const std::exception& e);

  MqttSettings settings_;
  store::Store& db_;
  EventHub& events_;
  const Clock& clock_;
  wire::TopicScheme topics_;
  DeviceDirectory directory_;
  TelemetryIngest ingest_;
  wire::RefusalCounters refusals_;  // status and events (telemetry refusals are in the ingest metrics)
  std::mutex waiters_mu_;
  std::map<std::string, std::shared_ptr<Waiter>> waiters_;  // by command id
  mqtt::EventLoop loop_;
  std::unique_ptr<mqtt::Client> client_;  // after the parts its callbacks use
  bool started_ = false;
  FleetObserver* observer_ = nullptr;
};

}  // namespace edgeml::controller
