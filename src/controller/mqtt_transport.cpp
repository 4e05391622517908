#include "controller/mqtt_transport.hpp"

#include <random>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "controller/telemetry_poller.hpp"
#include "mqtt/broker_url.hpp"
#include "wire/command.hpp"
#include "wire/device_status.hpp"
#include "wire/payload.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::controller {

using wire::DeployStep;
using wire::EventKind;
using wire::FailureKind;

namespace {
// Unique across controller restarts and databases (an agent's journal remembers ids for days): the deployment id for
// reading, a random part so a recreated database never reuses an id an agent has seen.
std::string new_command_id(const char* type, std::optional<long long> deployment_id) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(rng()));
  return std::string(type) + "-" + (deployment_id ? std::to_string(*deployment_id) : "x") + "-" + suffix;
}

std::pair<std::string, std::string> active_of(const wire::Event& e) {
  if (!e.detail || !e.detail->contains("active_model") || !(*e.detail)["active_model"].is_object()) return {};
  const auto& a = (*e.detail)["active_model"];
  return {a.value("name", std::string()), a.value("sha256", std::string())};
}
}  // namespace

MqttTransport::MqttTransport(MqttSettings settings, store::Store& db, EventHub& events, const Clock& clock)
    : settings_(std::move(settings)),
      db_(db),
      events_(events),
      clock_(clock),
      topics_(settings_.prefix, "--mqtt-prefix"),
      directory_(db, clock),
      ingest_(db, events, clock, settings_.ingest),
      loop_(&clock) {
  mqtt::ClientOptions o;
  o.broker = mqtt::parse_broker_url(settings_.url, "--mqtt");
  o.client_id = settings_.client_id;
  o.credentials = settings_.credentials;
  o.tls = settings_.tls;
  o.keepalive_s = settings_.keepalive_s;
  o.clean_session = false;   // the broker keeps what agents publish while the controller is away
  o.receive_maximum = 1000;  // a fleet's telemetry without waiting on each PUBACK round trip
  o.max_payload_bytes = wire::kMaxTelemetryBytes + 4096;
  std::string telemetry = topics_.all_devices(wire::Channel::telemetry);
  if (!settings_.share_group.empty()) telemetry = "$share/" + settings_.share_group + "/" + telemetry;
  o.subscriptions = {
      {telemetry, 1}, {topics_.all_devices(wire::Channel::status), 1}, {topics_.all_devices(wire::Channel::events), 1}};
  mqtt::ClientCallbacks cb;
  cb.on_message = [this](const mqtt::IncomingMessage& m) { on_message(m); };
  cb.on_connection = [this](const mqtt::ConnectionEvent& e) { on_connection(e); };
  client_ = std::make_unique<mqtt::Client>(std::move(o), std::move(cb), &clock);
}

MqttTransport::~MqttTransport() { stop(); }

void MqttTransport::start() {
  if (started_) return;
  started_ = true;
  ingest_.start();
  loop_.add(*client_);
  loop_.start();
  log::info("controller", "MQTT: connecting to " + client_->options().broker.to_string() + " as " +
                              settings_.client_id + ", topics " + topics_.prefix() + "/+/...");
}

void MqttTransport::stop() {
  if (!started_) return;
  started_ = false;
  client_->close(std::nullopt, 2);
  loop_.stop();
  ingest_.stop();
  std::lock_guard lock(waiters_mu_);
  for (auto& [id, w] : waiters_) w->cv.notify_all();
}

bool MqttTransport::connected() const { return client_->connected(); }

std::string MqttTransport::prometheus() const {
  std::string text = const_cast<MqttTransport*>(this)->ingest_.metrics().prometheus();
  text += mqtt::to_prometheus(client_->counters(), "controller");
  text += refusals_.prometheus("edgeml_controller_mqtt_messages_refused_total",
                               "Status and event messages refused, by reason.");
  text +=
      "# HELP edgeml_controller_mqtt_connected 1 while the controller is connected to the broker.\n"
      "# TYPE edgeml_controller_mqtt_connected gauge\nedgeml_controller_mqtt_connected " +
      std::string(client_->connected() ? "1" : "0") + "\n";
  return text;
}

void MqttTransport::refuse(const std::string& what, const std::exception& e) {
  auto reason = refusals_.count(e);
  log::warn("controller", "MQTT: refused " + what + " (" + wire::to_string(reason) + "): " + e.what());
}

void MqttTransport::on_connection(const mqtt::ConnectionEvent& e) {
  if (e.connected)
    log::info("controller", std::string("MQTT: connected") + (e.session_present ? " (session kept)" : ""));
  else
    log::warn("controller", "MQTT: disconnected: " + e.reason);
}

void MqttTransport::on_message(const mqtt::IncomingMessage& m) {
  wire::TopicScheme::Parsed where;
  try {
    where = topics_.parse(m.topic);
  } catch (const std::exception& e) {
    refuse("a message on " + std::string(m.topic.substr(0, 200)), e);
    return;
  }
  try {
    switch (where.channel) {
      case wire::Channel::telemetry:
        on_telemetry(where.device, m.payload);
        break;
      case wire::Channel::status:
        on_status(where.device, m.payload);
        break;
      case wire::Channel::events:
        on_event(where.device, m.payload);
        break;
      case wire::Channel::command:
        break;  // ours, not subscribed
    }
  } catch (const std::exception& e) {
    // A store failure while handling a valid message: logged; the service keeps running.
    log::error("controller", "MQTT: handling a message from " + where.device + " failed: " + e.what());
  }
}

void MqttTransport::on_telemetry(const std::string& device, std::string_view payload) {
  wire::TelemetryBatch batch;
  try {
    batch = wire::parse_telemetry_batch(payload, device);
  } catch (const std::exception& e) {
    ingest_.metrics().refused(e);
    log::warn("controller", "MQTT: refused telemetry of " + device + ": " + e.what());
    return;
  }
  auto d = directory_.by_name(device);
  if (!d) {
    ingest_.metrics().refused(wire::Refusal::unknown_device);
    log::debug("controller", "MQTT: telemetry of unregistered device " + device + " refused");
    return;
  }
  ingest_.submit(d->id, std::move(batch));
}

void MqttTransport::on_status(const std::string& device, std::string_view payload) {
  wire::DeviceStatus s;
  try {
    s = wire::parse_device_status(payload, device);
  } catch (const std::exception& e) {
    refuse("the status of " + device, e);
    return;
  }
  auto d = directory_.by_name(device);
  if (!d) {
    refusals_.count(wire::Refusal::unknown_device);
    log::debug("controller", "MQTT: status of unregistered device " + device + " ignored");
    return;
  }
  double now = clock_.now_s();
  if (s.state == wire::Presence::online) {
    db_.devices().mark_seen(d->id, s.at.value_or(now));
    events_.publish(TelemetryPoller::topic(d->id), "online", {{"device_id", d->id}, {"at", s.at.value_or(now)}});
    if (observer_) observer_->presence_changed(d->id, true, s.at.value_or(now), "online");
    // The device is back: what it has not accepted yet goes again (it runs each id once).
    for (const auto& c : db_.commands().pending(d->id, now)) {
      publish_command(device, c.command_id, c.message);
      log::info("controller", "MQTT: sent pending command " + c.command_id + " again to " + device);
    }
  } else {
    std::string why = std::string("offline: ") + wire::to_string(s.reason);
    log::warn("controller", "device " + device + " is " + why);
    db_.devices().mark_unreachable(d->id, why);
    events_.publish(TelemetryPoller::topic(d->id), "offline", {{"device_id", d->id}, {"error", why}});
    if (observer_) observer_->presence_changed(d->id, false, s.at.value_or(now), why);
  }
}

void MqttTransport::on_event(const std::string& device, std::string_view payload) {
  wire::Event e;
  try {
    e = wire::parse_event(payload, device);
  } catch (const std::exception& ex) {
    refuse("an event of " + device, ex);
    return;
  }
  auto d = directory_.by_name(device);
  auto c = db_.commands().by_command_id(e.command_id);
  if (!d || !c || c->device_id != d->id) {
    // Not a command we gave this device: nothing to apply.
    refusals_.count(!d ? wire::Refusal::unknown_device : wire::Refusal::wrong_device);
    log::warn("controller", "MQTT: event of " + device + " about unknown command " + e.command_id + " ignored");
    return;
  }
  double now = clock_.now_s();
  if (e.kind == EventKind::accepted) {
    db_.commands().set_state(e.command_id, "accepted", now);
  } else if (wire::is_final(e.kind)) {
    if (db_.commands().set_state(e.command_id, wire::to_string(e.kind), now, wire::encode(e)))
      log::info("controller", "MQTT: command " + e.command_id + " on " + device + ": " + wire::to_string(e.kind) +
                                  (e.message.empty() ? "" : " (" + e.message + ")"));
  }
  std::shared_ptr<Waiter> w;
  {
    std::lock_guard lock(waiters_mu_);
    if (auto it = waiters_.find(e.command_id); it != waiters_.end()) w = it->second;
  }
  if (w) {
    std::lock_guard lock(w->mu);
    w->events.push_back(std::move(e));
    w->cv.notify_all();
  }
}

void MqttTransport::publish_command(const std::string& device, const std::string& command_id,
                                    const std::string& message) {
  if (client_->publish(topics_.topic(device, wire::Channel::command), message, 1, false))
    db_.commands().sent(command_id, clock_.now_s());
  // Not connected: it stays pending and goes out when the device's status arrives after our reconnect.
}

CommandResult MqttTransport::run_command(const store::Device& device, const wire::CommandPayload& payload,
                                         std::optional<long long> deployment_id, double timeout_s,
                                         CommandWatcher& watcher, const OnEvent& on_event) {
  wire::Command cmd;
  double now = clock_.now_s();
  cmd.payload = payload;
  cmd.id = new_command_id(wire::to_string(cmd.type()), deployment_id);
  cmd.device = device.name;
  cmd.issued_at = now;
  cmd.expires_at = now + std::min(timeout_s, wire::kMaxCommandLifetimeS);
  store::CommandRecord rec;
  rec.command_id = cmd.id;
  rec.device_id = device.id;
  rec.deployment_id = deployment_id;
  rec.type = wire::to_string(cmd.type());
  rec.message = wire::encode(cmd);
  rec.issued_at = cmd.issued_at;
  rec.expires_at = cmd.expires_at;
  auto waiter = std::make_shared<Waiter>();
  {
    std::lock_guard lock(waiters_mu_);
    waiters_[cmd.id] = waiter;
  }
  struct Unregister {
    MqttTransport& t;
    std::string id;
    ~Unregister() {
      std::lock_guard lock(t.waiters_mu_);
      t.waiters_.erase(id);
    }
  } unregister{*this, cmd.id};
  db_.commands().add(rec);  // before it is sent: a restart resends it
  publish_command(device.name, cmd.id, rec.message);

  double deadline = clock_.monotonic_s() + timeout_s;
  bool accepted = false;
  while (true) {
    std::deque<wire::Event> got;
    {
      std::unique_lock lock(waiter->mu);
      waiter->cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return !waiter->events.empty(); });
      got.swap(waiter->events);
    }
    for (const auto& e : got) {
      if (e.kind == EventKind::accepted) accepted = true;
      if (e.kind == EventKind::rejected)
        return CommandResult::fail(e.failure.value_or(FailureKind::refused),
                                   "the device refused the command: " + e.message);
      if (auto result = on_event(e)) return *result;
    }
    if (watcher.stopping())
      // The command stays stored: sent again when the device comes online, until it expires.
      return CommandResult::fail(FailureKind::interrupted, "the controller is shutting down");
    if (clock_.monotonic_s() > deadline) {
      if (accepted)
        return CommandResult::fail(FailureKind::timeout, "no result within " + format_number(timeout_s, 0) +
                                                             " s (the device accepted command " + cmd.id + ")");
      db_.commands().set_state(cmd.id, "expired", clock_.now_s());
      auto d = db_.devices().by_id(device.id);
      if (d && !d->online)
        return CommandResult::fail(FailureKind::unreachable, "device unreachable: " + device.name +
                                                                 " stayed offline until command " + cmd.id +
                                                                 " expired (" + format_number(timeout_s, 0) + " s)");
      return CommandResult::fail(
          FailureKind::expired,
          "command " + cmd.id + " expired after " + format_number(timeout_s, 0) + " s without the device accepting it");
    }
  }
}

CommandResult MqttTransport::deploy(const store::Device& device, const DeployOrder& order, CommandWatcher& watcher) {
  bool transfer_passed = false, activation_passed = false;
  auto pass_transfer = [&](const std::string& detail) {
    if (transfer_passed) return;
    transfer_passed = true;
    watcher.step_passed(DeployStep::transfer, detail);
  };
  auto pass_activation = [&](const std::string& detail) {
    pass_transfer("reported by the agent");
    if (activation_passed) return;
    activation_passed = true;
    watcher.step_passed(DeployStep::activation, detail);
  };
  return run_command(
      device, order.payload, order.deployment_id, order.timeout_s, watcher,
      [&](const wire::Event& e) -> std::optional<CommandResult> {
        switch (e.kind) {
          case EventKind::progress:
            if (e.received_bytes) watcher.bytes(*e.received_bytes, e.total_bytes.value_or(order.payload.size));
            if (e.step == DeployStep::activation) pass_transfer(e.message);
            if (e.step == DeployStep::health_check) pass_activation(e.message);
            return std::nullopt;
          case EventKind::succeeded: {
            pass_activation("reported by the agent");
            auto [name, sha] = active_of(e);
            if (sha != order.payload.sha256)
              return CommandResult::fail(FailureKind::health_check,
                                         "the agent reports another model active (" + name + " " + sha + ")");
            return CommandResult::ok(e.message, name, sha);
          }
          case EventKind::failed:
            return CommandResult::fail(e.failure.value_or(FailureKind::internal), "the agent reports: " + e.message);
          default:
            return std::nullopt;
        }
      });
}

CommandResult MqttTransport::rollback(const store::Device& device, long long deployment_id, double timeout_s,
                                      CommandWatcher& watcher) {
  bool rolled_back = false;
  auto pass = [&](const std::string& detail) {
    if (rolled_back) return;
    rolled_back = true;
    watcher.step_passed(DeployStep::rollback, detail);
  };
  return run_command(device, wire::RollbackPayload{}, deployment_id, timeout_s, watcher,
                     [&](const wire::Event& e) -> std::optional<CommandResult> {
                       switch (e.kind) {
                         case EventKind::progress:
                           if (e.step == DeployStep::health_check) pass(e.message);
                           return std::nullopt;
                         case EventKind::succeeded: {
                           pass("the agent switched back to its previous model");
                           auto [name, sha] = active_of(e);
                           return CommandResult::ok(e.message, name, sha);
                         }
                         case EventKind::failed:
                           return CommandResult::fail(e.failure.value_or(FailureKind::internal),
                                                      "the agent could not roll back: " + e.message);
                         default:
                           return std::nullopt;
                       }
                     });
}

}  // namespace edgeml::controller
