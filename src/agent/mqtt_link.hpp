#pragma once
// The agent's MQTT mode (edgeml-agent --mqtt URL --device-name NAME): the agent connects out to a broker, so the
// controller never needs to reach it (a device behind NAT). Over the connection (wire/topics.hpp):
//   status     retained "online" after each connect; "offline, clean_shutdown" before a clean stop; the broker's last
//              will says "offline, connection_lost" when the link dies.
//   telemetry  every sample goes to the on-disk spool first, then out in batches (QoS 1); acknowledged in the spool
//              only once the broker confirmed it, so a broker or link outage leaves no gap (store and forward).
//   command    deploy, rollback, benchmark (config is refused: not adjustable at run time yet). Each id runs once
//              (CommandJournal); a duplicate or a replay runs nothing and is answered from the journal; an expired
//              or malformed command, or one for another device, runs nothing and is counted.
//   events     accepted / rejected at once, progress (bytes, activation, health check), then succeeded or failed with
//              a FailureKind. Events that could not be sent (link down) go out after the next connect.
// Commands run one at a time on a worker thread, through the same code as the HTTP routes (DeployJob, ModelManager,
// the benchmark). Model bytes are still pulled over HTTP(S) from the controller's artifact store (sha256, Range
// resume).
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "mqtt/client.hpp"
#include "mqtt/event_loop.hpp"
#include "spool/command_journal.hpp"
#include "spool/forwarder.hpp"
#include "spool/telemetry_spool.hpp"
#include "wire/command.hpp"
#include "wire/event.hpp"
#include "wire/refusals.hpp"
#include "wire/topics.hpp"

namespace edgeml::agent {

struct AgentParts;

class AgentMqttLink {
 public:
  // Opens the spool (<state>/spool) and the journal (<state>/commands.jsonl); checks the MQTT options (FieldError
  // naming the flag). Connects at start().
  explicit AgentMqttLink(AgentParts& parts);
  ~AgentMqttLink();
  void start();
  // Says "offline, clean_shutdown", disconnects, waits for a running command, syncs the spool. Idempotent.
  void stop();
  // Prometheus text: the client's counters, refused commands, spool and forwarder figures.
  std::string prometheus() const;

 private:
  void on_message(const mqtt::IncomingMessage& m);
  void on_connection(const mqtt::ConnectionEvent& e);
  void on_sample();                         // telemetry thread
  void work();                              // the command worker
  wire::Event run(const wire::Command& c);  // the final event
  wire::Event run_deploy(const wire::Command& c);
  wire::Event run_rollback(const wire::Command& c);
  wire::Event run_benchmark(const wire::Command& c);
  wire::Event event(const wire::Command& c, wire::EventKind kind) const;
  void publish_event(const wire::Event& e);
  std::string status_message(bool online) const;

  AgentParts& p_;
  wire::TopicScheme topics_;
  std::string device_;
  spool::TelemetrySpool spool_;
  spool::CommandJournal journal_;
  wire::RefusalCounters refusals_;
  std::unique_ptr<spool::Forwarder> forwarder_;
  mqtt::EventLoop loop_;
  std::unique_ptr<mqtt::Client> client_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<wire::Command> commands_;  // admitted, waiting for the worker
  std::deque<std::string> outbox_;      // encoded events not yet handed to the client (link down)
  bool stopping_ = false, started_ = false;
  std::thread worker_;
};

}  // namespace edgeml::agent
