#include "controller/deployment_follower.hpp"

#include "controller/deployer.hpp"
#include "controller/records_json.hpp"

namespace edgeml::controller {

DeploymentFollower::DeploymentFollower(store::Store& db, EventHub& events, std::string instance_id, double interval_s)
    : db_(db), events_(events), instance_id_(std::move(instance_id)), interval_s_(interval_s) {}

DeploymentFollower::~DeploymentFollower() { stop(); }

void DeploymentFollower::start() {
  if (task_) return;
  task_ = std::make_unique<PeriodicTask>("deployment follower", interval_s_, [this] { poll(); });
  task_->start();
}

void DeploymentFollower::stop() {
  if (task_) task_->stop();
}

void DeploymentFollower::follow(long long deployment_id) {
  std::lock_guard lock(mu_);
  published_.try_emplace(deployment_id, 0);
}

void DeploymentFollower::poll() {
  std::map<long long, size_t> followed;
  {
    std::lock_guard lock(mu_);
    followed = published_;
  }
  for (auto& [id, count] : followed) {
    auto rec = db_.deployments().get(id);
    bool drop = !rec || rec->owner == instance_id_;
    if (rec && !drop) {
      auto steps = db_.deployments().steps(id);
      std::string topic = Deployer::topic(id);
      for (size_t i = count; i < steps.size(); ++i) {
        const auto& s = steps[i];
        events_.publish(topic, "step",
                        {{"deployment_id", id},
                         {"name", s.name},
                         {"status", s.status},
                         {"duration_s", s.duration_s},
                         {"detail", s.detail}});
      }
      count = steps.size();
      if (rec->status != "running") {
        events_.publish(topic, "done", to_json(*rec, steps));
        events_.close(topic);
        drop = true;
      }
    }
    std::lock_guard lock(mu_);
    if (drop)
      published_.erase(id);
    else
      published_[id] = count;
  }
}

}  // namespace edgeml::controller
