#include "store/users.hpp"

#include "common/error.hpp"

namespace edgeml::store {

const Table<User>& users_table() {
  using U = User;
  static const Table<U> t(
      "users", {id_column(&U::id), column("name", &U::name, "NOT NULL UNIQUE"), column("role", &U::role, "NOT NULL"),
                column("password_hash", &U::password_hash, "NOT NULL"), column("created_by", &U::created_by),
                column("created_at", &U::created_at, "NOT NULL"), column("last_login_at", &U::last_login_at)});
  return t;
}

const Table<Session>& sessions_table() {
  using S = Session;
  static const Table<S> t(
      "sessions",
      {id_column(&S::id), column("user_id", &S::user_id, "NOT NULL"),
       column("token_hash", &S::token_hash, "NOT NULL UNIQUE"), column("csrf_hash", &S::csrf_hash, "NOT NULL"),
       column("created_at", &S::created_at, "NOT NULL"), column("expires_at", &S::expires_at, "NOT NULL")});
  return t;
}

User UserStore::add(User u) {
  const auto& t = users_table();
  db_.transaction([&](Connection& c) {
    if (!c.query("SELECT 1 FROM users WHERE name = ?", {u.name}).empty())
      throw Error(ErrorKind::conflict, "a user named '" + u.name + "' exists", "name");
    u.id = c.query(t.insert_sql(), t.insert_params(u)).at(0).integer(0);
  });
  return u;
}

std::vector<User> UserStore::all() {
  const auto& t = users_table();
  return db_.read<std::vector<User>>([&](Connection& c) { return t.read_all(c.query(t.select("ORDER BY id"))); });
}

std::optional<User> UserStore::by_name(const std::string& name) {
  const auto& t = users_table();
  return db_.read<std::optional<User>>([&](Connection& c) -> std::optional<User> {
    auto rows = c.query(t.select("WHERE name = ?"), {name});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::optional<User> UserStore::by_id(long long id) {
  const auto& t = users_table();
  return db_.read<std::optional<User>>([&](Connection& c) -> std::optional<User> {
    auto rows = c.query(t.select("WHERE id = ?"), {id});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

bool UserStore::remove(long long id) {
  long long n = 0;
  db_.transaction([&](Connection& c) {
    c.execute("DELETE FROM sessions WHERE user_id = ?", {id});
    n = c.execute("DELETE FROM users WHERE id = ?", {id});
  });
  return n > 0;
}

void UserStore::set_password(long long id, const std::string& password_hash) {
  db_.transaction([&](Connection& c) {
    c.execute("UPDATE users SET password_hash = ? WHERE id = ?", {password_hash, id});
    c.execute("DELETE FROM sessions WHERE user_id = ?", {id});
  });
}

void UserStore::mark_login(long long id, double t) {
  db_.with([&](Connection& c) { c.execute("UPDATE users SET last_login_at = ? WHERE id = ?", {t, id}); });
}

long long UserStore::count() {
  return db_.read<long long>([](Connection& c) { return c.query("SELECT COUNT(*) FROM users").at(0).integer(0); });
}

Session SessionStore::add(Session s) {
  const auto& t = sessions_table();
  s.id =
      db_.read<long long>([&](Connection& c) { return c.query(t.insert_sql(), t.insert_params(s)).at(0).integer(0); });
  return s;
}

std::optional<Session> SessionStore::live_by_hash(const std::string& token_hash, double now) {
  const auto& t = sessions_table();
  return db_.read<std::optional<Session>>([&](Connection& c) -> std::optional<Session> {
    auto rows = c.query(t.select("WHERE token_hash = ? AND expires_at > ?"), {token_hash, now});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

void SessionStore::remove_by_hash(const std::string& token_hash) {
  db_.with([&](Connection& c) { c.execute("DELETE FROM sessions WHERE token_hash = ?", {token_hash}); });
}

int SessionStore::purge_expired(double now) {
  return static_cast<int>(db_.read<long long>(
      [&](Connection& c) { return c.execute("DELETE FROM sessions WHERE expires_at <= ?", {now}); }));
}

}  // namespace edgeml::store
