#include "agent/agent.hpp"

#include "agent/credentials.hpp"
#include "agent/device_identity.hpp"
#include "agent/device_info.hpp"
#include "agent/request_guard.hpp"
#include "common/log.hpp"
#include "http/server.hpp"

namespace edgeml::agent {

namespace {
StoreLimits store_limits(const AgentOptions& o) { return {o.keep_versions, o.reserve_bytes, o.max_model_bytes}; }
}  // namespace

Agent::Agent(AgentOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      started_s_(clock.now_s()),
      device_(read_device_info(options_.procfs_root)),
      store_(options_.state_dir, store_limits(options_)),
      host_(options_.backend, options_.threads),
      manager_(store_, host_, clock_, options_.activation_test_delay_s),
      deploy_(store_, manager_, clock_),
      loop_(host_, clock_, options_.infer_hz),
      telemetry_(options_, clock_, host_, loop_),
      critical_(clock_),
      policy_(store_, manager_, loop_, clock_) {
  if (options_.activation_test_delay_s > 0)
    log::warn("agent", "TEST HOOK EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS is set: activations are slowed down");
  if (size_t n = store_.remove_leftovers()) log::info("agent", "cleaned " + std::to_string(n) + " temporary file(s)");
  manager_.restore();
  std::vector<std::string> tokens{options_.token};
  if (!options_.controller_url.empty()) {
    // Enrolling: the agent's own credentials (made once, kept 0600 in the state folder); the controller will call it
    // with the agent token it is given in the enrollment request.
    auto credentials = load_or_create_credentials(options_.state_dir);
    tokens.push_back(credentials.agent_token);
    EnrollSettings enroll;
    enroll.controller_url = options_.controller_url;
    enroll.enroll_token = options_.enroll_token;
    enroll.tls.ca_file = options_.controller_ca.string();
    enroll.name = options_.device_name.empty() ? device_.value("hostname", "") : options_.device_name;
    enroll.advertise = options_.advertise;
    enroll.interval_s = options_.enroll_interval_s;
    enroller_ = std::make_unique<Enroller>(
        enroll, read_device_identity(options_.sysfs_root, options_.procfs_root, options_.machine_id_file),
        options_.state_dir, credentials);
  }
  deploy_.set_tls({.ca_file = options_.controller_ca.string()});
  if (!options_.policy_file.empty()) policy_.load_file(options_.policy_file);  // a bad file: the agent does not start
  telemetry_.on_snapshot([this](const telemetry::Snapshot& s) { policy_.on_sample(s, policy_facts()); });
  parts_.reset(new AgentParts{options_, clock_, store_, host_, manager_, deploy_, loop_, telemetry_, request_stats_,
                              metrics_, device_, started_s_, critical_, nullptr, enroller_.get()});
  if (!options_.mqtt_url.empty()) {
    mqtt_ = std::make_unique<AgentMqttLink>(*parts_);
    parts_->mqtt = mqtt_.get();
  }
  parts_->policy = &policy_;

  add_model_routes(router_, *parts_);
  add_inference_routes(router_, *parts_);
  add_telemetry_routes(router_, *parts_);
  add_window_routes(router_, *parts_);
  add_policy_routes(router_, *parts_);
  http::ServerOptions server;
  server.component = "agent";
  server.host = options_.host;
  server.port = options_.port;
  server.worker_threads = 2;    // a device: requests are few, inference serializes on the model anyway
  server.blocking_threads = 4;  // deploy?wait, activation, benchmark
  // Idle connections cost a socket and a few KiB: room for a dashboard, Prometheus and a held-open crowd (1,250 in the
  // resilience run) without evicting on every accept, which starved the API of its one I/O thread.
  server.max_connections = 2048;
  server.tls_cert_file = options_.tls_cert;
  server.tls_key_file = options_.tls_key;
  server_ = std::make_unique<http::Server>(server, router_, metrics_);
  server_->set_authenticator(agent_authenticator(tokens));
}

Agent::~Agent() { stop(); }

int Agent::bind() {
  int port = server_->bind();
  loop_.start();
  telemetry_.start();
  if (mqtt_) mqtt_->start();
  if (enroller_) enroller_->start(port);
  return port;
}

void Agent::serve() { server_->run(); }

void Agent::request_stop() { server_->stop(); }

void Agent::stop() {
  std::lock_guard lock(stop_mu_);  // two callers joining the same thread would be undefined behaviour
  server_->stop();
  loop_.stop();
  telemetry_.stop();
  if (mqtt_) mqtt_->stop();  // says offline (clean shutdown), syncs the spool
  deploy_.wait();
  if (enroller_) enroller_->stop();
}

nlohmann::json Agent::status() const { return status_json(*parts_); }

AgentFacts Agent::policy_facts() {
  // What telemetry measured for the active model (gross energy per inference, idle power); the switcher adds the
  // active model, the installed names and its pause.
  AgentFacts f;
  auto e = telemetry_.energy();
  auto number = [&](const char* k) -> std::optional<double> {
    if (e.contains(k) && e[k].is_number()) return e[k].get<double>();
    return std::nullopt;
  };
  f.active_energy_per_inference_mj = number("gross_energy_per_inference_mj");
  f.idle_power_w = number("idle_power_w");
  f.inference_hz = loop_.hz();
  return f;
}

}  // namespace edgeml::agent
