#pragma once
// Several controllers on one database: a deployment run by another controller is followed here from the store. While
// a client follows its event stream, its newly stored steps are read every interval and published on the deployment's
// topic in this controller's EventHub (the same "step" and "done" events the owner publishes), so GET
// /api/deployments/<id>/events behaves alike on every controller. Followed deployments are dropped once finished (the
// topic is closed) or once this controller owns them (it took the rollout over and publishes them itself).
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/periodic.hpp"
#include "controller/event_hub.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

class DeploymentFollower {
 public:
  DeploymentFollower(store::Store& db, EventHub& events, std::string instance_id, double interval_s = 0.25);
  ~DeploymentFollower();
  void start();
  void stop();
  // Starts following (idempotent); the first round publishes the steps stored so far.
  void follow(long long deployment_id);
  // One round over the followed deployments (the periodic step; tests call it directly).
  void poll();

 private:
  store::Store& db_;
  EventHub& events_;
  std::string instance_id_;
  double interval_s_;
  std::mutex mu_;
  std::map<long long, size_t> published_;  // deployment id -> steps published so far
  std::unique_ptr<PeriodicTask> task_;
};

}  // namespace edgeml::controller
