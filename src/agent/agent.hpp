#pragma once
// The agent: the parts (store, model manager, runtime host, deploy job, inference loop, telemetry) and the HTTP server
// that exposes them. main.cpp only parses flags and calls listen(); tests can run an Agent in-process the same way.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "agent/agent_options.hpp"
#include "agent/critical_lease.hpp"
#include "agent/deploy_job.hpp"
#include "agent/enroller.hpp"
#include "agent/inference_loop.hpp"
#include "agent/latency_stats.hpp"
#include "agent/model_host.hpp"
#include "agent/model_manager.hpp"
#include "agent/model_store.hpp"
#include "agent/mqtt_link.hpp"
#include "agent/policy_service.hpp"
#include "agent/telemetry_service.hpp"
#include "common/clock.hpp"
#include "http/route_metrics.hpp"
#include "http/server.hpp"

namespace edgeml::agent {

// What the route files (routes_*.cpp) work with.
struct AgentParts {
  const AgentOptions& options;
  const Clock& clock;
  ModelStore& store;
  ModelHost& host;
  ModelManager& manager;
  DeployJob& deploy;
  InferenceLoop& loop;
  TelemetryService& telemetry;
  LatencyStats& request_stats;  // POST /infer
  http::RouteMetrics& metrics;
  const nlohmann::json& device;
  double started_s;
  CriticalLease& critical;             // work the device must not be disturbed in (no benchmark window meanwhile)
  AgentMqttLink* mqtt = nullptr;       // MQTT mode (--mqtt); null in LAN mode
  const Enroller* enroller = nullptr;  // with --controller: the enrollment's state for /status
  // The battery policy (none configured until --policy or PUT /policy).
  PolicyService* policy = nullptr;
};

class Agent {
 public:
  // Creates the state folder, removes leftovers of a crash, restores the active model. Throws on an unusable state dir.
  Agent(AgentOptions options, const Clock& clock);
  ~Agent();
  // Binds (port 0 = any free port) and returns the port; starts the loops.
  int bind();
  void serve();  // blocks until stop() or request_stop()
  // Makes serve() return; safe to call from any thread (the signal-waiting thread of main.cpp).
  void request_stop();
  // Stops the server and joins the loops; idempotent, one caller at a time.
  void stop();

  nlohmann::json status() const;

 private:
  AgentFacts policy_facts();
  AgentOptions options_;
  const Clock& clock_;
  double started_s_;
  nlohmann::json device_;
  ModelStore store_;
  ModelHost host_;
  ModelManager manager_;
  DeployJob deploy_;
  InferenceLoop loop_;
  TelemetryService telemetry_;
  LatencyStats request_stats_;
  CriticalLease critical_;
  PolicyService policy_;
  http::RouteMetrics metrics_{"edgeml_agent"};
  std::unique_ptr<Enroller> enroller_;  // with --controller (enrollment)
  std::unique_ptr<AgentParts> parts_;
  std::unique_ptr<AgentMqttLink> mqtt_;  // --mqtt: after the parts it uses
  http::Router router_;
  std::unique_ptr<http::Server> server_;  // last: destroyed (its workers joined) before the parts it serves
  std::mutex stop_mu_;
};

nlohmann::json status_json(const AgentParts& p);

// Route groups (one file each); every route declares its role, body and limits where it is added.
void add_model_routes(http::Router& router, AgentParts& p);
void add_inference_routes(http::Router& router, AgentParts& p);
void add_telemetry_routes(http::Router& router, AgentParts& p);
void add_window_routes(http::Router& router, AgentParts& p);
void add_policy_routes(http::Router& router, AgentParts& p);

}  // namespace edgeml::agent
