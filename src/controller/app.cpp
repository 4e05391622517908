#include "controller/app.hpp"

#include <algorithm>
#include <filesystem>

#include "common/error.hpp"
#include "common/log.hpp"
#include "controller/abtests.hpp"
#include "controller/embedded_dashboard.hpp"
#include "controller/predictors.hpp"
#include "controller/transports_config.hpp"
#include "http/replies.hpp"
#include "http/static_files.hpp"

namespace edgeml::controller {

ControllerApp::ControllerApp(Config config) : config_(std::move(config)) {}
ControllerApp::~ControllerApp() { stop(); }

void ControllerApp::init() {
  catalog::Catalog files;
  for (const auto& d : config_.data) {
    auto source = catalog::DataSource::parse(d);
    size_t n = files.load(source);
    log::info("controller", "loaded " + std::to_string(n) + " benchmark rows from " + source.path.string());
  }
  std::filesystem::create_directories(config_.state_dir);

  artifacts_ =
      std::make_unique<ArtifactStore>(config_.models_dir.empty() ? config_.state_dir / "models" : config_.models_dir);
  store_ = std::make_unique<store::Store>(config_.db_url.empty() ? (config_.state_dir / "controller.db").string()
                                                                 : config_.db_url);
  log::info("controller",
            "store: " + store_->describe() + ", schema version " + std::to_string(store_->schema_version()));
  SecuritySettings security;
  security.host = config_.host;
  security.require_auth = config_.require_auth;
  security.session_s = config_.session_hours * 3600;
  security.model_link_ttl_s = std::max(900.0, 2 * config_.deploy_timeout_s);  // a resumed pull must still get in
  security.key_file = config_.state_dir / "secret.key";
  security_ = std::make_unique<Security>(security, *store_, clock_);
  security_->check_can_start(
      "edgeml-controller token create --role admin --name admin" +
      std::string(config_.db_url.empty() ? " --state " + config_.state_dir.string() : " --db <the same URL>") +
      " (or: user add --name NAME --role admin, password on stdin)");
  LeaseSettings lease;
  lease.instance_id =
      config_.instance_id.empty() ? default_instance_id(config_.state_dir.string()) : config_.instance_id;
  lease.lease_s = config_.lease_s;
  lease_ = std::make_unique<BackgroundLease>(store_->leases(), clock_, lease);
  log::info("controller", "instance id " + lease.instance_id);
  follower_ = std::make_unique<DeploymentFollower>(*store_, events_, lease.instance_id);
  if (int n = store_->deployments().mark_interrupted(clock_.now_s(), lease.instance_id))
    log::warn("controller",
              std::to_string(n) + " deployment(s) were running when the controller stopped: marked interrupted");
  // Rows measured at run time are in the database: the catalog (and so the predictors) comes after the store.
  catalog_service_ =
      std::make_unique<CatalogService>(std::move(files), *store_, config_.state_dir / "predictors", clock_);
  std::vector<fetch::ModelSource> sources;
  for (const auto& spec : config_.model_sources) sources.push_back(fetch::parse_model_source(spec));
  model_sources_ = sources;
  availability_ = std::make_unique<ArtifactAvailability>(*artifacts_, sources.size());
  DeploySettings deploy;
  deploy.timeout_s = config_.deploy_timeout_s;
  deploy.model_link = [this](const std::string& path) { return security_->model_link(path); };
  deploy.agent_tls.ca_file = config_.agent_ca;
  deploy.unknown_energy = config_.unknown_energy;
  deploy.window = config_.window;
  deploy.instance_id = lease.instance_id;
  deploy.public_url = config_.public_url;
  transports_ = make_transports(config_, *store_, events_, clock_, deploy);
  deployer_ = std::make_unique<Deployer>(*store_, *artifacts_, events_, *catalog_service_, sources, clock_, deploy,
                                         transports_.get());
  PollerSettings poll;
  poll.interval_s = config_.poll_interval_s;
  poll.keep_s = config_.telemetry_keep_days * 86400;
  poll.raw_s = config_.telemetry_raw_hours * 3600;
  latest_telemetry_ = std::make_unique<LatestTelemetry>(clock_, agent_telemetry_fetch());
  poll.on_telemetry = [this](long long id, double t, const nlohmann::json& j) {
    latest_telemetry_->remember(id, t, j);
  };
  poll.agent_tls.ca_file = config_.agent_ca;
  poller_ = std::make_unique<TelemetryPoller>(*store_, events_, clock_, poll);
  // Background work runs on the lease holder only (leases.hpp).
  poller_->set_gate([this] { return lease_->holds(); });
  lease_->while_held([this] { deployer_->take_over_orphans(); });
  AlertingSettings alerting = alerting_settings_from_env();
  alerting.retry.first_backoff_s = config_.alert_backoff_s;
  alerting_ = std::make_unique<Alerting>(*store_, clock_, alerting);
  alerting_->load();
  poller_->set_observer(alerting_.get());
  deployer_->set_observer(alerting_.get());
  if (transports_->mqtt()) transports_->mqtt()->set_observer(alerting_.get());

  http::ServerOptions options;
  options.component = "controller";
  options.host = config_.host;
  options.port = config_.port;
  options.worker_threads = static_cast<int>(config_.threads);
  options.tls_cert_file = config_.tls_cert;
  options.tls_key_file = config_.tls_key;
  server_ = std::make_unique<http::Server>(options, router_, metrics_);
  server_->set_authenticator(security_->authenticator());
  server_->set_observer(security_->observer());
  register_routes();
}

void ControllerApp::register_routes() {
  register_catalog_routes(*this, router_);
  register_predict_routes(*this, router_);
  register_ops_routes(*this, router_);
  register_artifact_routes(*this, router_);
  register_device_routes(*this, router_);
  register_deploy_routes(*this, router_);
  register_log_routes(*this, router_);
  register_balena_routes(*this, router_);
  register_auth_routes(*this, router_);
  register_enrollment_routes(*this, router_);
  register_catalog_row_routes(*this, router_);
  register_rollout_routes(*this, router_);
  register_alert_routes(*this, router_);
  register_report_routes(*this, router_);
  register_policy_routes(*this, router_);
  register_abtest_routes(*this, router_);
  if (!config_.web_dir.empty()) {
    auto files = std::make_shared<http::StaticFiles>(config_.web_dir);
    server_->set_fallback([files](http::Request& req, http::Response& res) { files->serve(req, res); });
  } else if (auto files = std::make_shared<http::EmbeddedFiles>(embedded_dashboard()); !files->empty()) {
    // No --web: the dashboard compiled into this binary.
    server_->set_fallback([files](http::Request& req, http::Response& res) { files->serve(req, res); });
  }
}

int ControllerApp::bind() {
  bound_port_ = server_->bind();
  return bound_port_;
}

void ControllerApp::serve() {
  if (lease_) lease_->start();
  if (follower_) follower_->start();
  if (alerting_) alerting_->start();
  if (poller_) poller_->start();
  if (transports_) transports_->start();
  server_->stop_on_signals();
  server_->run();
  // Stopped: deployments still waiting on an agent end as interrupted; polling ends.
  events_.shutdown();
  if (deployer_) deployer_->stop();
  if (poller_) poller_->stop();
  if (catalog_service_) catalog_service_->stop();
  if (transports_) transports_->stop();  // disconnects, then stores the telemetry still queued
  if (follower_) follower_->stop();
  if (lease_) lease_->stop();  // released: another controller takes the background work over at once
  if (alerting_) alerting_->stop();
}

void ControllerApp::stop() {
  if (server_) server_->stop();
}

BalenaSettings ControllerApp::balena() const {
  BalenaSettings b;
  b.base_url = config_.balena_api_url;
  while (!b.base_url.empty() && b.base_url.back() == '/') b.base_url.pop_back();
  b.token = config_.balena_api_token;
  b.timeout_s = static_cast<long>(config_.balena_timeout_s);
  return b;
}

std::string ControllerApp::model_base_url(const http::Request& req) const {
  if (!config_.public_url.empty()) return config_.public_url;
  bool wildcard = config_.host == "0.0.0.0" || config_.host == "::" || config_.host.empty();
  // The Host header names how this client reached us; it goes into URLs agents fetch, so only a plain host[:port].
  std::string host = req.header("Host");
  bool plain = !host.empty() && host.size() < 256 &&
               host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
                   std::string::npos;
  const std::string scheme = config_.tls_cert.empty() ? "http://" : "https://";
  if (wildcard && plain) return scheme + host;
  return scheme + config_.host + ":" + std::to_string(bound_port_);
}

std::string ControllerApp::resolve_device(const std::string& requested) const {
  if (!requested.empty()) {
    std::string d = catalog::normalize_device_type(requested);
    auto snap = catalog();
    if (!snap->has_device(d)) {
      std::string known;
      for (const auto& k : snap->device_types()) known += (known.empty() ? "" : ", ") + k;
      throw NotFoundError("unknown device_type '" + d + "' (catalog has: " + (known.empty() ? "none" : known) + ")",
                          "device_type");
    }
    return d;
  }
  auto snap = catalog();
  auto devices = snap->device_types();
  if (snap->has_device("jetson_nano")) return "jetson_nano";
  if (devices.size() == 1) return devices.front();
  if (devices.empty()) throw NotFoundError("the catalog is empty: start the controller with --data", "device_type");
  throw FieldError("device_type", "device_type is required when the catalog holds several devices");
}

}  // namespace edgeml::controller
