#pragma once
// The deployments table (one row per device and attempt, rollbacks included) and deployment_steps (each timed step).
#include <optional>
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
  // Deployments left "running" by a controller that died: marked interrupted. Returns how many.
  int mark_interrupted(double now);
  std::optional<DeploymentRecord> last_succeeded(long long device_id);
  // last_succeeded() of every device that has one, in one query (the energy comparison, /metrics).
  std::vector<DeploymentRecord> last_succeeded_per_device();
  // Deployments started before until_s, oldest first, at most `limit` (reports: predictions from before the range).
  std::vector<DeploymentRecord> started_before(double until_s, long long limit);

 private:
  Database& db_;
};

}  // namespace edgeml::store
