#include "store/enrollments.hpp"

namespace edgeml::store {

const Table<Enrollment>& enrollments_table() {
  using E = Enrollment;
  static const Table<E> t(
      "enrollments",
      {id_column(&E::id), column("name", &E::name, "NOT NULL"), column("machine_id", &E::machine_id),
       column("device_type", &E::device_type), column("model", &E::model), column("agent_version", &E::agent_version),
       column("hostname", &E::hostname), column("address", &E::address), column("remote_ip", &E::remote_ip),
       column("enrolled_with", &E::enrolled_with), column("status", &E::status, "NOT NULL"),
       column("device_token_hash", &E::device_token_hash, "NOT NULL UNIQUE"),
       column("agent_token_sealed", &E::agent_token_sealed), column("requested_at", &E::requested_at, "NOT NULL"),
       column("last_seen_at", &E::last_seen_at), column("decided_at", &E::decided_at),
       column("decided_by", &E::decided_by), column("device_id", &E::device_id)});
  return t;
}

Enrollment EnrollmentStore::add(Enrollment e) {
  const auto& t = enrollments_table();
  e.id =
      db_.read<long long>([&](Connection& c) { return c.query(t.insert_sql(), t.insert_params(e)).at(0).integer(0); });
  return e;
}

void EnrollmentStore::update(const Enrollment& e) {
  const auto& t = enrollments_table();
  db_.with([&](Connection& c) { c.execute(t.update_sql(), t.update_params(e)); });
}

std::optional<Enrollment> EnrollmentStore::by_id(long long id) {
  const auto& t = enrollments_table();
  return db_.read<std::optional<Enrollment>>([&](Connection& c) -> std::optional<Enrollment> {
    auto rows = c.query(t.select("WHERE id = ?"), {id});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::optional<Enrollment> EnrollmentStore::by_device_token_hash(const std::string& token_hash) {
  const auto& t = enrollments_table();
  return db_.read<std::optional<Enrollment>>([&](Connection& c) -> std::optional<Enrollment> {
    auto rows = c.query(t.select("WHERE device_token_hash = ?"), {token_hash});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::vector<Enrollment> EnrollmentStore::all(const std::string& status) {
  const auto& t = enrollments_table();
  return db_.read<std::vector<Enrollment>>([&](Connection& c) {
    if (!status.empty()) return t.read_all(c.query(t.select("WHERE status = ? ORDER BY id DESC"), {status}));
    return t.read_all(c.query(t.select("ORDER BY id DESC")));
  });
}

long long EnrollmentStore::count_pending() {
  return db_.read<long long>([](Connection& c) {
    return c.query("SELECT COUNT(*) FROM enrollments WHERE status = 'pending'").at(0).integer(0);
  });
}

}  // namespace edgeml::store
