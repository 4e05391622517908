#pragma once
// Deployments: the energy gate, the artifact, the agent pulling it (with its sha256), activation and the agent's health
// check, then the benchmark window that feeds the catalog (post_deploy_window.hpp), each a timed step recorded in the
// store and published as an event (GET /api/deployments/<id>/events). A plan with several devices is a staged
// rollout: batches of batch_size devices (one after another by default), no new batch once max_failures devices failed.
// The work runs on a background thread per rollout; callers wait for it or not.
// Each deployment follows wire::DeploymentMachine (its steps and final state, with a FailureKind when it did not
// succeed, recorded as deployments.failure_kind); the device is reached through its DeviceTransport (LAN or MQTT).
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/clock.hpp"
#include "controller/artifact_resolver.hpp"
#include "controller/artifact_store.hpp"
#include "controller/device_transport.hpp"
#include "controller/energy_gate.hpp"
#include "controller/event_hub.hpp"
#include "controller/fleet_observer.hpp"
#include "controller/post_deploy_window.hpp"
#include "controller/records_json.hpp"
#include "fetch/model_sources.hpp"
#include "http/client.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

class CatalogService;

struct DeploySettings {
  double poll_interval_s = 0.02;  // how often the agent's /status is read while it downloads and activates
  double timeout_s = 180;         // per device, from the agent's acceptance to a healthy model
  int agent_timeout_s = 5;        // per HTTP call to the agent
  // "/models/<file>" -> the link the agent is sent (a signed, expiring one: the agent needs no credentials to pull).
  std::function<std::string(const std::string& path)> model_link;
  http::TlsClientOptions agent_tls;  // --agent-ca: agents serve HTTPS, verified against this CA
  UnknownEnergyPolicy unknown_energy = UnknownEnergyPolicy::warn;
  WindowSettings window;  // the benchmark window after a successful deploy
  // Several controllers on one database: this controller's instance id (deployments.owner) and its public URL (a
  // rollout taken over sends agents to us for the model, not to the controller that died). Empty: single controller.
  std::string instance_id;
  std::string public_url;
  std::string liveness_prefix = "controller/";  // leases.hpp: a deployment is orphaned when its owner's lease expired
};

struct DeployPlan {
  std::string model_name;
  std::optional<double> max_energy;
  bool force = false;
  int max_failures = 1;
  int batch_size = 1;    // devices deployed at once; the next batch starts when one has finished
  std::string base_url;  // the controller as the agents reach it, e.g. http://10.0.0.2:5000
  std::vector<Device> devices;
  std::string preprocess;        // forwarded to the agent: the pixel convention to feed images in ("" = the model's)
  bool benchmark_window = true;  // run the post-deploy window (when the settings enable it)
  std::optional<ResolvedArtifact> resolved;  // already fetched (the route fetches a model only a source has)
};

struct Rollout {
  long long rollout_id = 0;
  std::vector<long long> deployment_ids;  // one per device, in order
};

class Deployer {
 public:
  Deployer(store::Store& db, ArtifactStore& store, EventHub& events, CatalogService& catalog,
           std::vector<fetch::ModelSource> sources, const Clock& clock, DeploySettings settings = {},
           DeviceTransports* transports = nullptr);  // null: LAN only
  ~Deployer();

  // Records one "running" deployment per device and starts the rollout in the background.
  Rollout start(const DeployPlan& plan);
  // Blocks until the rollout has finished (every deployment succeeded, failed, was rejected or skipped).
  void wait(long long rollout_id);
  // Asks the agent to go back to its previous model; recorded as a deployment of kind "rollback".
  long long rollback(const Device& device);
  // Stops waiting on agents (shutdown): running deployments end as interrupted.
  void stop();

  // Told of each deployment's end (set before the first start()).
  void set_observer(FleetObserver* observer) { observer_ = observer; }

  static std::string topic(long long deployment_id) { return "deployment/" + std::to_string(deployment_id); }

  // Several controllers (run by the background lease holder): running deployments whose owner died are claimed and
  // their rollouts continued here from their stored steps (rollout_takeover.cpp). Returns how many were claimed.
  int take_over_orphans();

 private:
  class Run;
  void run_rollout(DeployPlan plan, Rollout rollout);
  bool deploy_one(Run& run, const DeployPlan& plan, const Device& device, const Artifact& artifact,
                  const std::string& weights);
  bool stopping();
  void resume_rollout(long long rollout_id);
  void resolve_sent(Run& run, const Device& device, const Artifact& artifact, const DeployPlan& plan);

  store::Store& db_;
  ArtifactStore& store_;
  EventHub& events_;
  CatalogService& catalog_;
  std::vector<fetch::ModelSource> sources_;
  const Clock& clock_;
  DeploySettings settings_;
  std::unique_ptr<DeviceTransports> own_transports_;  // when none were given
  DeviceTransports* transports_;

  std::mutex mu_;
  std::condition_variable done_cv_;
  std::set<long long> running_rollouts_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
  FleetObserver* observer_ = nullptr;
};

}  // namespace edgeml::controller
