#include "store/leases.hpp"

namespace edgeml::store {

const Table<LeaseRecord>& leases_table() {
  using L = LeaseRecord;
  static const Table<L> t("leases",
                          {column("name", &L::name, "NOT NULL PRIMARY KEY"), column("holder", &L::holder, "NOT NULL"),
                           column("expires_at", &L::expires_at, "NOT NULL")});
  return t;
}

bool LeaseStore::acquire(const std::string& name, const std::string& holder, double now_s, double ttl_s) {
  // An upsert whose update only happens for the same holder or an expired lease: SQLite (3.24+) and PostgreSQL
  // both count a row changed only when the insert or the update took place.
  const std::string sql =
      "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = "
      "excluded.holder, expires_at = excluded.expires_at WHERE leases.holder = excluded.holder OR "
      "leases.expires_at <= ?";
  return db_.read<bool>([&](Connection& c) { return c.execute(sql, {name, holder, now_s + ttl_s, now_s}) > 0; });
}

bool LeaseStore::release(const std::string& name, const std::string& holder) {
  return db_.read<bool>([&](Connection& c) {
    return c.execute("UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?", {name, holder}) > 0;
  });
}

std::optional<std::string> LeaseStore::holder(const std::string& name, double now_s) {
  return db_.read<std::optional<std::string>>([&](Connection& c) -> std::optional<std::string> {
    auto rows = c.query("SELECT holder FROM leases WHERE name = ? AND expires_at > ?", {name, now_s});
    if (rows.empty()) return std::nullopt;
    return rows[0].text(0);
  });
}

}  // namespace edgeml::store
