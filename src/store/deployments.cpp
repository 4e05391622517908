#include "store/deployments.hpp"

namespace edgeml::store {

const Table<DeploymentRecord>& deployments_table() {
  using D = DeploymentRecord;
  static const Table<D> t("deployments", {id_column(&D::id),
                                          column("rollout_id", &D::rollout_id),
                                          column("kind", &D::kind, "NOT NULL"),
                                          column("device_id", &D::device_id, "NOT NULL"),
                                          column("device_name", &D::device_name, "NOT NULL"),
                                          column("device_address", &D::device_address, "NOT NULL"),
                                          column("device_type", &D::device_type, "NOT NULL"),
                                          column("model_name", &D::model_name, "NOT NULL"),
                                          column("status", &D::status, "NOT NULL"),
                                          column("error", &D::error),
                                          column("started_at", &D::started_at, "NOT NULL"),
                                          column("finished_at", &D::finished_at),
                                          column("energy_mwh", &D::energy_mwh),
                                          column("energy_source", &D::energy_source),
                                          column("max_energy", &D::max_energy),
                                          column("forced", &D::forced),
                                          column("sha256", &D::sha256),
                                          column("artifact_file", &D::artifact_file),
                                          column("artifact_source", &D::artifact_source),
                                          column("predicted_per_inference_mj", &D::predicted_per_inference_mj),
                                          column("failure_kind", &D::failure_kind),
                                          column("weights", &D::weights),
                                          column("owner", &D::owner),
                                          column("sent_at", &D::sent_at),
                                          column("base_url", &D::base_url),
                                          column("max_failures", &D::max_failures, "NOT NULL DEFAULT 1")});
  return t;
}

const Table<StepRecord>& deployment_steps_table() {
  using S = StepRecord;
  static const Table<S> t("deployment_steps",
                          {column("deployment_id", &S::deployment_id, "NOT NULL REFERENCES deployments(id)"),
                           column("seq", &S::seq, "NOT NULL"), column("name", &S::name, "NOT NULL"),
                           column("status", &S::status, "NOT NULL"), column("started_at", &S::started_at, "NOT NULL"),
                           column("duration_s", &S::duration_s, "NOT NULL"), column("detail", &S::detail)},
                          {"PRIMARY KEY (deployment_id, seq)"});
  return t;
}

long long DeploymentStore::begin(const DeploymentRecord& r) {
  const auto& t = deployments_table();
  return db_.read<long long>(
      [&](Connection& c) { return c.query(t.insert_sql(), t.insert_params(r)).at(0).integer(0); });
}

void DeploymentStore::update(const DeploymentRecord& r) {
  const auto& t = deployments_table();
  db_.with([&](Connection& c) { c.execute(t.update_sql(), t.update_params(r)); });
}

void DeploymentStore::add_step(long long deployment_id, StepRecord s) {
  const auto& t = deployment_steps_table();
  s.deployment_id = deployment_id;
  db_.transaction([&](Connection& c) {
    s.seq = c.query("SELECT COUNT(*) FROM deployment_steps WHERE deployment_id = ?", {deployment_id}).at(0).integer(0);
    c.execute(t.insert_sql(), t.insert_params(s));
  });
}

std::optional<DeploymentRecord> DeploymentStore::get(long long id) {
  const auto& t = deployments_table();
  return db_.read<std::optional<DeploymentRecord>>([&](Connection& c) -> std::optional<DeploymentRecord> {
    auto rows = c.query(t.select("WHERE id = ?"), {id});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::vector<StepRecord> DeploymentStore::steps(long long deployment_id) {
  const auto& t = deployment_steps_table();
  return db_.read<std::vector<StepRecord>>([&](Connection& c) {
    return t.read_all(c.query(t.select("WHERE deployment_id = ? ORDER BY seq"), {deployment_id}));
  });
}

std::vector<DeploymentRecord> DeploymentStore::recent(int limit) {
  const auto& t = deployments_table();
  return db_.read<std::vector<DeploymentRecord>>([&](Connection& c) {
    return t.read_all(c.query(t.select("ORDER BY id DESC LIMIT ?"), {static_cast<long long>(limit)}));
  });
}

long long DeploymentStore::next_rollout_id() {
  return db_.read<long long>([&](Connection& c) {
    return c.query("SELECT COALESCE(MAX(rollout_id), 0) + 1 FROM deployments").at(0).integer(0);
  });
}

int DeploymentStore::mark_interrupted(double now, const std::string& owner) {
  // Only this controller's own (and those from before owners were recorded): another live controller's deployments
  // go on, and a dead one's are taken over by the lease holder (claim()).
  return db_.read<int>([&](Connection& c) {
    return static_cast<int>(
        c.execute("UPDATE deployments SET status = 'interrupted', finished_at = ?, failure_kind = 'interrupted', "
                  "error = 'the controller stopped while this deployment was running' WHERE status = 'running' AND "
                  "(owner = ? OR owner = '')",
                  {now, owner}));
  });
}

bool DeploymentStore::claim(long long id, const std::string& from_owner, const std::string& to_owner) {
  return db_.read<bool>([&](Connection& c) {
    return c.execute("UPDATE deployments SET owner = ? WHERE id = ? AND owner = ? AND status = 'running'",
                     {to_owner, id, from_owner}) > 0;
  });
}

bool DeploymentStore::claim_send(long long id, const std::string& owner, double now) {
  return db_.read<bool>([&](Connection& c) {
    return c.execute(
               "UPDATE deployments SET sent_at = ? WHERE id = ? AND owner = ? AND sent_at IS NULL AND status = "
               "'running'",
               {now, id, owner}) > 0;
  });
}

std::vector<DeploymentRecord> DeploymentStore::orphaned(double now, const std::string& liveness_prefix) {
  const auto& t = deployments_table();
  return db_.read<std::vector<DeploymentRecord>>([&](Connection& c) {
    return t.read_all(
        c.query(t.select("WHERE status = 'running' AND owner <> '' AND NOT EXISTS (SELECT 1 FROM leases "
                         "WHERE leases.name = CAST(? AS TEXT) || deployments.owner AND leases.expires_at > ?) "
                         "ORDER BY id"),
                {liveness_prefix, now}));
  });
}

std::vector<DeploymentRecord> DeploymentStore::of_rollout(long long rollout_id) {
  const auto& t = deployments_table();
  return db_.read<std::vector<DeploymentRecord>>(
      [&](Connection& c) { return t.read_all(c.query(t.select("WHERE rollout_id = ? ORDER BY id"), {rollout_id})); });
}

std::optional<DeploymentRecord> DeploymentStore::last_succeeded(long long device_id) {
  const auto& t = deployments_table();
  return db_.read<std::optional<DeploymentRecord>>([&](Connection& c) -> std::optional<DeploymentRecord> {
    auto rows =
        c.query(t.select("WHERE device_id = ? AND kind = 'deploy' AND status = 'succeeded' ORDER BY id DESC LIMIT 1"),
                {device_id});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::vector<DeploymentRecord> DeploymentStore::last_succeeded_per_device() {
  const auto& t = deployments_table();
  return db_.read<std::vector<DeploymentRecord>>([&](Connection& c) {
    return t.read_all(
        c.query(t.select("WHERE id IN (SELECT MAX(id) FROM deployments WHERE kind = 'deploy' AND "
                         "status = 'succeeded' GROUP BY device_id) ORDER BY device_id")));
  });
}

std::vector<DeploymentRecord> DeploymentStore::by_rollout(long long rollout_id) {
  const auto& t = deployments_table();
  return db_.read<std::vector<DeploymentRecord>>(
      [&](Connection& c) { return t.read_all(c.query(t.select("WHERE rollout_id = ? ORDER BY id"), {rollout_id})); });
}

std::vector<DeploymentRecord> DeploymentStore::for_device(long long device_id, int limit) {
  const auto& t = deployments_table();
  return db_.read<std::vector<DeploymentRecord>>([&](Connection& c) {
    return t.read_all(
        c.query(t.select("WHERE device_id = ? ORDER BY id DESC LIMIT ?"), {device_id, static_cast<long long>(limit)}));
  });
}

std::vector<DeploymentRecord> DeploymentStore::started_before(double until_s, long long limit) {
  const auto& t = deployments_table();
  return db_.read<std::vector<DeploymentRecord>>([&](Connection& c) {
    return t.read_all(c.query(t.select("WHERE started_at < ? ORDER BY started_at, id LIMIT ?"), {until_s, limit}));
  });
}

}  // namespace edgeml::store
