#include "agent/mqtt_link.hpp"

#include <chrono>
#include <cstdlib>

#include "agent/agent.hpp"
#include "agent/benchmark_service.hpp"
#include "agent/version.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "mqtt/broker_url.hpp"
#include "spool/command_intake.hpp"
#include "wire/agent_telemetry.hpp"
#include "wire/device_status.hpp"
#include "wire/payload.hpp"

namespace edgeml::agent {

using wire::DeployStep;
using wire::EventKind;
using wire::FailureKind;

namespace {
// Thrown inside a command when the agent stops: the journal keeps it unfinished, reported as interrupted next start.
struct Interrupted {};

spool::SpoolLimits spool_limits(const AgentOptions& o) {
  spool::SpoolLimits l;
  l.max_bytes = o.spool_bytes;
  return l;
}

// A command's failure event: its kind and what happened.
wire::Event failed(wire::Event e, FailureKind kind, std::string message) {
  e.failure = kind;
  e.message = std::move(message);
  return e;
}
}  // namespace

AgentMqttLink::AgentMqttLink(AgentParts& parts)
    : p_(parts),
      topics_(parts.options.mqtt_prefix, "--mqtt-prefix"),
      device_(parts.options.device_name),
      spool_(parts.options.state_dir / "spool", spool_limits(parts.options), parts.clock),
      journal_(parts.options.state_dir / "commands.jsonl", parts.clock),
      loop_(&parts.clock) {
  const auto& o = p_.options;
  mqtt::ClientOptions c;
  c.broker = mqtt::parse_broker_url(o.mqtt_url, "--mqtt");
  c.client_id = device_;
  c.credentials = mqtt::credentials_from_env([](const char* name) { return std::getenv(name); });
  c.tls = {o.mqtt_ca, o.mqtt_cert, o.mqtt_key};
  c.keepalive_s = o.mqtt_keepalive_s;
  c.clean_session = false;  // the broker queues commands while we are away
  c.will = mqtt::OutgoingMessage{topics_.topic(device_, wire::Channel::status),
                                 wire::encode(wire::last_will_status(device_)), 1, true};
  c.subscriptions = {{topics_.topic(device_, wire::Channel::command), 1}};
  c.max_payload_bytes = wire::kMaxCommandBytes;
  mqtt::ClientCallbacks cb;
  cb.on_message = [this](const mqtt::IncomingMessage& m) { on_message(m); };
  cb.on_connection = [this](const mqtt::ConnectionEvent& e) { on_connection(e); };
  cb.on_delivered = [this](std::uint64_t tag) {
    if (tag) forwarder_->on_delivered(tag);
  };
  client_ = std::make_unique<mqtt::Client>(std::move(c), std::move(cb), &p_.clock);
  spool::ForwarderOptions f;
  f.device = device_;
  f.topic = topics_.topic(device_, wire::Channel::telemetry);
  forwarder_ = std::make_unique<spool::Forwarder>(
      spool_, f,
      [this](const std::string& topic, const std::string& payload, std::uint64_t tag) {
        return client_->publish(topic, payload, 1, false, tag);
      },
      p_.clock);
  loop_.add(*client_);
  loop_.set_ticker(1.0, [this](double) { forwarder_->pump(); });  // gives a stalled window up, resends
  p_.telemetry.on_sample([this] { on_sample(); });
  // Commands cut short by a crash or a stop: reported failed (interrupted) once we are connected.
  for (const auto& id : journal_.unfinished()) {
    wire::Event e{device_, id, EventKind::failed, p_.clock.now_s()};
    e.failure = FailureKind::interrupted;
    e.message = "the agent stopped while this command ran";
    journal_.record_outcome(e);
    outbox_.push_back(wire::encode(e));
  }
}

AgentMqttLink::~AgentMqttLink() { stop(); }

void AgentMqttLink::start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  worker_ = std::thread([this] { work(); });
  loop_.start();
  log::info("agent", "MQTT: device " + device_ + " connecting to " + client_->options().broker.to_string() +
                         " (spool stream " + spool_.stream() + ")");
}

void AgentMqttLink::stop() {
  {
    std::lock_guard lock(mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  mqtt::OutgoingMessage farewell{topics_.topic(device_, wire::Channel::status), status_message(false), 1, true};
  client_->close(farewell, 3);
  loop_.stop();
  spool_.sync();
}

std::string AgentMqttLink::status_message(bool online) const {
  wire::DeviceStatus s;
  s.device = device_;
  s.state = online ? wire::Presence::online : wire::Presence::offline;
  s.reason = online ? wire::PresenceReason::connected : wire::PresenceReason::clean_shutdown;
  s.at = p_.clock.now_s();
  s.agent_version = kAgentVersion;
  if (auto a = p_.host.active()) s.active_model = a->ref.name;
  return wire::encode(s);
}

void AgentMqttLink::on_connection(const mqtt::ConnectionEvent& e) {
  if (!e.connected) {
    forwarder_->on_disconnected();
    return;
  }
  client_->publish(topics_.topic(device_, wire::Channel::status), status_message(true), 1, true);
  forwarder_->on_connected();
  std::deque<std::string> pending;
  {
    std::lock_guard lock(mu_);
    pending.swap(outbox_);
  }
  std::string topic = topics_.topic(device_, wire::Channel::events);
  while (!pending.empty()) {
    if (!client_->publish(topic, pending.front(), 1, false)) break;
    pending.pop_front();
  }
  if (!pending.empty()) {
    std::lock_guard lock(mu_);
    outbox_.insert(outbox_.begin(), pending.begin(), pending.end());
  }
  forwarder_->pump();
}

void AgentMqttLink::on_sample() {
  try {
    // The same answer as GET /telemetry, mapped the way the controller's poller maps it.
    auto j = p_.telemetry.latest();
    j["energy_model"] = p_.telemetry.energy();
    j["inference"] = p_.loop.stats().to_json(p_.clock.now_s());
    auto s = wire::sample_from_agent_telemetry(j, false);
    if (!spool_.append(s.sample)) log::debug("agent", "telemetry sample not spooled (counted in the spool stats)");
    forwarder_->pump();
  } catch (const std::exception& e) {
    log::error("agent", std::string("MQTT: telemetry sample not spooled: ") + e.what());
  }
}

void AgentMqttLink::on_message(const mqtt::IncomingMessage& m) {
  if (m.topic != topics_.topic(device_, wire::Channel::command)) return;  // only our command topic is subscribed
  spool::Intake intake;
  try {
    intake = spool::take_command(m.payload, device_, journal_, p_.clock, refusals_);
  } catch (const std::exception& e) {
    log::error("agent", std::string("MQTT: command not taken: ") + e.what());
    return;
  }
  if (intake.reply) publish_event(*intake.reply);
  if (intake.run) {
    log::info("agent", std::string("MQTT: command ") + intake.run->id + " (" + wire::to_string(intake.run->type()) +
                           ") accepted");
    std::lock_guard lock(mu_);
    commands_.push_back(*intake.run);
    cv_.notify_all();
  }
}

void AgentMqttLink::publish_event(const wire::Event& e) {
  auto bytes = wire::encode(e);
  if (client_->publish(topics_.topic(device_, wire::Channel::events), bytes, 1, false)) return;
  std::lock_guard lock(mu_);
  outbox_.push_back(std::move(bytes));  // sent after the next connect
}

wire::Event AgentMqttLink::event(const wire::Command& c, EventKind kind) const {
  return wire::Event{device_, c.id, kind, p_.clock.now_s()};
}

void AgentMqttLink::work() {
  while (true) {
    wire::Command c;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !commands_.empty(); });
      if (stopping_) return;  // queued ones stay unfinished in the journal: reported interrupted next start
      c = std::move(commands_.front());
      commands_.pop_front();
    }
    try {
      auto final_event = run(c);
      journal_.record_outcome(final_event);
      publish_event(final_event);
      log::info("agent", "MQTT: command " + c.id + ": " + wire::to_string(final_event.kind) +
                             (final_event.message.empty() ? "" : " (" + final_event.message + ")"));
    } catch (const Interrupted&) {
      return;
    }
  }
}

wire::Event AgentMqttLink::run(const wire::Command& c) {
  try {
    switch (c.type()) {
      case wire::CommandType::deploy:
        return run_deploy(c);
      case wire::CommandType::rollback:
        return run_rollback(c);
      case wire::CommandType::benchmark:
        return run_benchmark(c);
      case wire::CommandType::config:
        break;
    }
    return failed(event(c, EventKind::failed), FailureKind::refused,
                  "this agent does not change its settings at run time (restart it with other flags)");
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& ex) {
    return failed(event(c, EventKind::failed), wire::failure_kind_of(ex), ex.what());
  }
}

wire::Event AgentMqttLink::run_deploy(const wire::Command& c) {
  const auto& d = std::get<wire::DeployPayload>(c.payload);
  nlohmann::json body{{"model_name", d.model_name},
                      {"model_url", d.model_url},
                      {"sha256", d.sha256},
                      {"size", d.size},
                      {"activate", d.activate}};
  if (!d.preprocess.empty()) body["preprocess"] = d.preprocess;
  if (!d.weights.empty()) body["weights"] = d.weights;
  auto request = parse_deploy_request(body);
  p_.deploy.start(request);  // the same job as POST /deploy: checks, then downloads in the background
  double started = p_.clock.monotonic_s(), last_progress = 0;
  bool transfer_reported = false;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) throw Interrupted{};
    }
    auto pr = p_.deploy.progress();
    std::string state = pr.value("state", "");
    if (pr.value("sha256", "") != request.sha256) {
      return failed(event(c, EventKind::failed), FailureKind::internal, "another deployment replaced this one");
    }
    double now = p_.clock.monotonic_s();
    if (state == "downloading" && now - last_progress >= 0.5) {
      last_progress = now;
      auto e = event(c, EventKind::progress);
      e.step = DeployStep::transfer;
      e.job_state = wire::AgentJobState::downloading;
      e.received_bytes = pr.value("received_bytes", std::uint64_t{0});
      e.total_bytes = request.size;
      publish_event(e);
    }
    if (state == "failed") {
      auto e = event(c, EventKind::failed);
      e.failure = FailureKind::download;
      if (pr.contains("failure") && pr["failure"].is_string())
        e.failure = wire::parse_failure_kind(pr["failure"].get<std::string>());
      e.message = pr.value("error", std::string("deployment failed"));
      return e;
    }
    if (state != "downloading" && !transfer_reported) {
      transfer_reported = true;
      auto e = event(c, EventKind::progress);
      e.step = DeployStep::activation;
      e.job_state = wire::AgentJobState::activating;
      e.message = std::to_string(request.size) + " bytes pulled from " + request.model_url + " and verified (" +
                  format_number(request.size / 1048576.0 / std::max(now - started, 1e-6), 1) + " MB/s)";
      publish_event(e);
    }
    if (state == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto active = p_.host.active();
  if (!request.activate) {
    auto e = event(c, EventKind::succeeded);
    e.message = "stored, not activated";
    return e;
  }
  if (!active || active->ref.sha256 != request.sha256) {
    return failed(event(c, EventKind::failed), FailureKind::activation,
                  "the deployment finished but another model is active");
  }
  auto progress = event(c, EventKind::progress);
  progress.step = DeployStep::health_check;
  progress.message = "active on " + active->backend + ", loaded in " + format_number(active->load_s, 3) + " s";
  publish_event(progress);
  // Health: the activation ran its test inference; the runtime must still hold this model.
  auto now_active = p_.host.active();
  if (!now_active || now_active->ref.sha256 != request.sha256) {
    return failed(event(c, EventKind::failed), FailureKind::health_check,
                  "health check: the runtime no longer runs the model");
  }
  auto e = event(c, EventKind::succeeded);
  e.message = "runtime running; inference loop " + std::string(p_.loop.running() ? "running" : "not running") + " at " +
              format_number(p_.options.infer_hz, 2) + " Hz";
  e.detail = nlohmann::json{{"active_model",
                             {{"name", now_active->ref.name},
                              {"sha256", now_active->ref.sha256},
                              {"backend", now_active->backend},
                              {"load_s", now_active->load_s}}}};
  return e;
}

wire::Event AgentMqttLink::run_rollback(const wire::Command& c) {
  auto ref = p_.manager.rollback();  // Error(conflict) with nothing to go back to: refused
  auto progress = event(c, EventKind::progress);
  progress.step = DeployStep::health_check;
  progress.message = "the agent switched back to its previous model";
  publish_event(progress);
  auto active = p_.host.active();
  if (!active || active->ref.sha256 != ref.sha256) {
    return failed(event(c, EventKind::failed), FailureKind::health_check, "after the rollback the agent runs no model");
  }
  auto e = event(c, EventKind::succeeded);
  e.message = "active again and running: " + active->ref.name + " " + active->ref.sha256;
  e.detail = nlohmann::json{{"active_model", {{"name", active->ref.name}, {"sha256", active->ref.sha256}}}};
  return e;
}

wire::Event AgentMqttLink::run_benchmark(const wire::Command& c) {
  const auto& b = std::get<wire::BenchmarkPayload>(c.payload);
  nlohmann::json body = nlohmann::json::object();
  if (b.iterations) body["iterations"] = *b.iterations;
  if (b.warmup) body["warmup"] = *b.warmup;
  if (b.runs) body["runs"] = *b.runs;
  auto result = agent::run_benchmark(parse_benchmark_request(body), p_.host, p_.store, p_.telemetry, p_.device);
  auto e = event(c, EventKind::succeeded);
  e.message = "benchmark finished";
  // The whole result when it fits an event (64 KiB); it always does for the catalog row it is.
  if (result.dump().size() < wire::kMaxEventBytes - 4096) e.detail = result;
  return e;
}

std::string AgentMqttLink::prometheus() const {
  std::string text = mqtt::to_prometheus(client_->counters(), "agent");
  text += refusals_.prometheus("edgeml_agent_mqtt_commands_refused_total", "Commands refused, by reason.");
  auto s = spool_.stats();
  auto f = forwarder_->stats();
  auto line = [&](const char* name, const char* type, const char* help, std::uint64_t v) {
    text += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
            std::to_string(v) + "\n";
  };
  line("edgeml_agent_spool_unsent_samples", "gauge", "Telemetry samples on disk not yet confirmed by the broker.",
       s.unacked);
  line("edgeml_agent_spool_bytes", "gauge", "Bytes the telemetry spool holds on disk.", s.bytes);
  line("edgeml_agent_spool_dropped_total", "counter", "Unsent samples dropped by the spool's size or age bound.",
       s.dropped_by_size + s.dropped_by_age);
  line("edgeml_agent_spool_refused_total", "counter", "Samples the spool could not store (disk full, I/O error).",
       s.refused_disk_full + s.refused_io_error + s.refused_too_large);
  line("edgeml_agent_telemetry_samples_confirmed_total", "counter", "Samples the broker confirmed.",
       f.samples_confirmed);
  return text;
}

}  // namespace edgeml::agent
