#include "store/audit_log.hpp"

namespace edgeml::store {

const Table<AuditEntry>& audit_log_table() {
  using A = AuditEntry;
  static const Table<A> t("audit_log",
                          {id_column(&A::id), column("t", &A::t, "NOT NULL"), column("actor", &A::actor),
                           column("actor_method", &A::actor_method), column("actor_role", &A::actor_role),
                           column("action", &A::action), column("path", &A::path), column("status", &A::status),
                           column("remote_ip", &A::remote_ip), column("detail", &A::detail)});
  return t;
}

long long AuditStore::add(const AuditEntry& e) {
  const auto& t = audit_log_table();
  return db_.read<long long>(
      [&](Connection& c) { return c.query(t.insert_sql(), t.insert_params(e)).at(0).integer(0); });
}

std::vector<AuditEntry> AuditStore::recent(int limit, std::optional<long long> before_id) {
  const auto& t = audit_log_table();
  return db_.read<std::vector<AuditEntry>>([&](Connection& c) {
    if (before_id)
      return t.read_all(
          c.query(t.select("WHERE id < ? ORDER BY id DESC LIMIT ?"), {*before_id, static_cast<long long>(limit)}));
    return t.read_all(c.query(t.select("ORDER BY id DESC LIMIT ?"), {static_cast<long long>(limit)}));
  });
}

}  // namespace edgeml::store
