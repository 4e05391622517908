#pragma once
// The deployments table (one row per device and attempt, rollbacks included) and deployment_steps (each timed step).
#include <optional>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<DeploymentRecord>& deployments_table();
const Table<StepRecord>& deployment_steps_table();

class DeploymentStore {
 public:
  explicit DeploymentStore(Database& db) : db_(db) {}
  long long begin(const DeploymentRecord& r);  // returns the new id
  void update(const DeploymentRecord& r);      // every column but id
  void add_step(long long deployment_id, StepRecord s);
  std::optional<DeploymentRecord> get(long long id);
  std::vector<StepRecord> steps(long long deployment_id);
  std::vector<DeploymentRecord> recent(int limit);
  long long next_rollout_id();
  // Deployments of `owner` (this controller instance, restarted) left "running": marked interrupted. Returns how many.
  int mark_interrupted(double now, const std::string& owner = "");
  // Several controllers: moves a running deployment from one owner to another; false when someone else was first.
  bool claim(long long id, const std::string& from_owner, const std::string& to_owner);
  // Records that `owner` sends the deployment's command now; false when it was sent already (or is not owner's).
  bool claim_send(long long id, const std::string& owner, double now);
  // Running deployments whose owner holds no live lease named liveness_prefix + owner (its controller died).
  std::vector<DeploymentRecord> orphaned(double now, const std::string& liveness_prefix);
  std::vector<DeploymentRecord> of_rollout(long long rollout_id);
  std::optional<DeploymentRecord> last_succeeded(long long device_id);
  // last_succeeded() of every device that has one, in one query (the energy comparison, /metrics).
  std::vector<DeploymentRecord> last_succeeded_per_device();
  std::vector<DeploymentRecord> by_rollout(long long rollout_id);            // in the rollout's device order
  std::vector<DeploymentRecord> for_device(long long device_id, int limit);  // newest first, rollbacks included
  // Deployments started before until_s, oldest first, at most `limit` (reports: predictions from before the range).
  std::vector<DeploymentRecord> started_before(double until_s, long long limit);

 private:
  Database& db_;
};

}  // namespace edgeml::store
