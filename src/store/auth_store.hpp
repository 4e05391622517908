#pragma once
// The tables of schema version 4 (who may do what) over the controller's database, in one place for the controller's
// auth code: tokens, users, sessions, the audit log and enrollments. Their CREATE statements and migration step are
// in store.cpp controller_schema().
#include "store/api_tokens.hpp"
#include "store/audit_log.hpp"
#include "store/enrollments.hpp"
#include "store/users.hpp"

namespace edgeml::store {

class AuthStore {
 public:
  explicit AuthStore(Database& db) : tokens_(db), users_(db), sessions_(db), audit_(db), enrollments_(db) {}
  ApiTokenStore& tokens() { return tokens_; }
  UserStore& users() { return users_; }
  SessionStore& sessions() { return sessions_; }
  AuditStore& audit() { return audit_; }
  EnrollmentStore& enrollments() { return enrollments_; }

 private:
  ApiTokenStore tokens_;
  UserStore users_;
  SessionStore sessions_;
  AuditStore audit_;
  EnrollmentStore enrollments_;
};

// The schema version 4 tables, for controller_schema(): CREATE TABLE/INDEX statements.
std::vector<std::string> auth_tables_sql(Dialect d);

}  // namespace edgeml::store
