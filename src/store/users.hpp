#pragma once
// The users table (dashboard logins: a name, a role, an argon2id password hash) and the sessions table (one row per
// login: the hash of the HttpOnly cookie's value and of its CSRF token, and when it expires).
#include <optional>
#include <vector>

#include "store/auth_records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<User>& users_table();
const Table<Session>& sessions_table();

class UserStore {
 public:
  explicit UserStore(Database& db) : db_(db) {}
  User add(User u);  // Error(conflict, field "name") when the name is taken
  std::vector<User> all();
  std::optional<User> by_name(const std::string& name);
  std::optional<User> by_id(long long id);
  // Also ends the user's sessions. False when there is no such user.
  bool remove(long long id);
  void set_password(long long id, const std::string& password_hash);  // also ends the user's sessions
  void mark_login(long long id, double t);
  long long count();

 private:
  Database& db_;
};

class SessionStore {
 public:
  explicit SessionStore(Database& db) : db_(db) {}
  Session add(Session s);
  // Only a session that has not expired at `now`.
  std::optional<Session> live_by_hash(const std::string& token_hash, double now);
  void remove_by_hash(const std::string& token_hash);
  int purge_expired(double now);

 private:
  Database& db_;
};

}  // namespace edgeml::store
