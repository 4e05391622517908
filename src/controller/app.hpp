#pragma once
// The controller service: owns the catalog, the predictors and the HTTP server, and registers the route groups.
// Each route group lives in its own routes_*.cpp and is a thin layer over a library.
#include <memory>
#include <string>

#include "catalog/catalog.hpp"
#include "common/clock.hpp"
#include "controller/alerting.hpp"
#include "controller/artifact_availability.hpp"
#include "controller/artifact_store.hpp"
#include "controller/balena_client.hpp"
#include "controller/catalog_service.hpp"
#include "controller/config.hpp"
#include "controller/deployer.hpp"
#include "controller/deployment_follower.hpp"
#include "controller/event_hub.hpp"
#include "controller/latest_telemetry.hpp"
#include "controller/leases.hpp"
#include "controller/records_json.hpp"
#include "controller/security.hpp"
#include "controller/telemetry_poller.hpp"
#include "controller/transports.hpp"
#include "http/route_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/store.hpp"

namespace edgeml::predictor {
class PredictorSet;
}

namespace edgeml::controller {

class ControllerApp {
 public:
  explicit ControllerApp(Config config);
  ~ControllerApp();

  // Loads the data, trains or loads the predictors, registers routes. Throws on unreadable data.
  void init();
  // Binds (port 0 = any free port) and returns the port; serve() then blocks until stop() or SIGINT/SIGTERM.
  int bind();
  void serve();
  void stop();  // any thread

  const Config& config() const { return config_; }
  // The catalog as it is now (files + fleet/API rows) and the predictors built from it: snapshots a request keeps for
  // as long as it needs them (rows arrive and predictors are rebuilt while it runs).
  std::shared_ptr<const catalog::Catalog> catalog() const { return catalog_service_->snapshot(); }
  std::shared_ptr<const predictor::PredictorSet> predictors() const { return catalog_service_->predictors(); }
  CatalogService& catalog_service() { return *catalog_service_; }
  http::RouteMetrics& metrics() { return metrics_; }
  http::Server& server() { return *server_; }
  size_t max_upload_bytes() const { return static_cast<size_t>(config_.max_upload_mb * 1048576.0); }

  // The device type a request means: the given one (404 naming device_type when the catalog has no such device), or
  // jetson_nano / the only device when none is given (as the original API defaulted).
  std::string resolve_device(const std::string& requested) const;

  // Deploy and fleet (valid after init()).
  ArtifactStore& artifacts() { return *artifacts_; }
  // Per model: deployable or not, from where, with what weights (store, configured sources, zoo).
  ArtifactAvailability& availability() { return *availability_; }
  const std::vector<fetch::ModelSource>& model_sources() const { return model_sources_; }
  store::Store& store() { return *store_; }
  EventHub& events() { return events_; }
  Deployer& deployer() { return *deployer_; }
  ControllerTransports& transports() { return *transports_; }
  Alerting& alerting() { return *alerting_; }
  const Clock& clock() const { return clock_; }
  LatestTelemetry& latest_telemetry() { return *latest_telemetry_; }
  // Several controllers on one database: who runs the background work; deployments of others followed from the store.
  BackgroundLease& lease() { return *lease_; }
  DeploymentFollower& follower() { return *follower_; }
  const std::string& instance_id() const { return lease_->instance_id(); }
  BalenaSettings balena() const;
  // The base URL agents pull models from: --public-url, else http://<host>:<bound port> (the request's Host header
  // when we listen on a wildcard address).
  std::string model_base_url(const http::Request& req) const;
  // Who may do what: credentials, sessions, enrollment, audit (valid after init()).
  Security& security() { return *security_; }

 private:
  void register_routes();
  Config config_;
  SystemClock clock_;
  EventHub events_;
  std::unique_ptr<ArtifactStore> artifacts_;
  std::unique_ptr<ArtifactAvailability> availability_;
  std::vector<fetch::ModelSource> model_sources_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Security> security_;  // after the store it writes to, before the parts that use it
  // Told by the poller, the MQTT ingest and the deployer: declared before them, so it outlives their threads.
  std::unique_ptr<Alerting> alerting_;
  std::unique_ptr<CatalogService> catalog_service_;   // after the store its rows are kept in
  std::unique_ptr<ControllerTransports> transports_;  // before the deployer, which uses it
  std::unique_ptr<Deployer> deployer_;
  std::unique_ptr<LatestTelemetry> latest_telemetry_;  // before the poller that feeds it: destroyed after it
  std::unique_ptr<TelemetryPoller> poller_;
  std::unique_ptr<BackgroundLease> lease_;
  std::unique_ptr<DeploymentFollower> follower_;
  int bound_port_ = 0;
  http::RouteMetrics metrics_{"edgeml_controller"};
  http::Router router_;
  std::unique_ptr<http::Server> server_;  // after the parts its handlers use: destroyed (workers joined) first
};

// Route groups (one file each). Each route declares its options (role, body, limits) where it is registered.
void register_catalog_routes(ControllerApp& app, http::Router& router);
void register_predict_routes(ControllerApp& app, http::Router& router);
void register_ops_routes(ControllerApp& app, http::Router& router);
void register_artifact_routes(ControllerApp& app, http::Router& router);
void register_device_routes(ControllerApp& app, http::Router& router);
void register_deploy_routes(ControllerApp& app, http::Router& router);
void register_log_routes(ControllerApp& app, http::Router& router);
void register_balena_routes(ControllerApp& app, http::Router& router);
void register_auth_routes(ControllerApp& app, http::Router& router);
void register_enrollment_routes(ControllerApp& app, http::Router& router);
void register_catalog_row_routes(ControllerApp& app, http::Router& router);
void register_rollout_routes(ControllerApp& app, http::Router& router);
void register_alert_routes(ControllerApp& app, http::Router& router);
void register_report_routes(ControllerApp& app, http::Router& router);
void register_policy_routes(ControllerApp& app, http::Router& router);

}  // namespace edgeml::controller
