#include "store/abtests.hpp"

namespace edgeml::store {

const Table<AbTestRecord>& abtests_table() {
  using A = AbTestRecord;
  static const Table<A> t("abtests",
                          {id_column(&A::id), column("model_a", &A::model_a, "NOT NULL"),
                           column("model_b", &A::model_b, "NOT NULL"), column("devices_a", &A::devices_a, "NOT NULL"),
                           column("devices_b", &A::devices_b, "NOT NULL"), column("metric", &A::metric, "NOT NULL"),
                           column("started_at", &A::started_at), column("rollout_a", &A::rollout_a),
                           column("rollout_b", &A::rollout_b), column("promoted_model", &A::promoted_model),
                           column("promoted_rollout", &A::promoted_rollout), column("promoted_at", &A::promoted_at)});
  return t;
}

long long AbTestStore::add(const AbTestRecord& r) {
  const auto& t = abtests_table();
  return db_.read<long long>(
      [&](Connection& c) { return c.query(t.insert_sql(), t.insert_params(r)).at(0).integer(0); });
}

void AbTestStore::update(const AbTestRecord& r) {
  const auto& t = abtests_table();
  db_.with([&](Connection& c) { c.execute(t.update_sql(), t.update_params(r)); });
}

std::optional<AbTestRecord> AbTestStore::get(long long id) {
  const auto& t = abtests_table();
  return db_.read<std::optional<AbTestRecord>>([&](Connection& c) -> std::optional<AbTestRecord> {
    auto rows = c.query(t.select("WHERE id = ?"), {id});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::vector<AbTestRecord> AbTestStore::all() {
  const auto& t = abtests_table();
  return db_.read<std::vector<AbTestRecord>>(
      [&](Connection& c) { return t.read_all(c.query(t.select("ORDER BY id DESC LIMIT 1000"))); });
}

}  // namespace edgeml::store
