// The tables of schema version 4 (tokens, users, sessions, audit log, enrollments) and sealed device tokens, on
// SQLite and on a real PostgreSQL server, like the rest of the store.
#include <gtest/gtest.h>

#include <atomic>

#include "common/error.hpp"
#include "postgres_server.hpp"
#include "secrets/master_key.hpp"
#include "secrets/sealer.hpp"
#include "store/auth_store.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

using namespace edgeml;
using namespace edgeml::store;
using edgeml::testing::PostgresServer;
using edgeml::testing::TempDir;

namespace {

int latest_version() {
  int v = 1;
  for (const auto& m : controller_schema().migrations) v = std::max(v, m.version);
  return v;
}

// The controller's sealer (src/secrets) behind the store's interface.
class SecretboxSealer : public TokenSealer {
 public:
  explicit SecretboxSealer(char fill) : sealer_(secrets::MasterKey::from_bytes(std::string(32, fill))) {}
  std::string seal(const std::string& t) const override { return sealer_.seal(t); }
  std::string unseal(const std::string& s) const override { return sealer_.unseal(s); }
  bool is_sealed(const std::string& s) const override { return secrets::Sealer::is_sealed(s); }

 private:
  secrets::Sealer sealer_;
};

class AuthTablesOn : public ::testing::TestWithParam<std::string> {
 protected:
  std::string location() {
    static std::atomic<int> n{0};
    if (GetParam() == "sqlite") return (tmp_.path / ("a" + std::to_string(n++) + ".db")).string();
    return PostgresServer::shared().create_database("auth" + std::to_string(::getpid()) + "_" + std::to_string(n++));
  }
  TempDir tmp_{"auth-store"};
};

}  // namespace

TEST_P(AuthTablesOn, TokensAreFoundByHashRevokedAndNamesFreedAfterRevocation) {
  Store s(location());
  AuthStore auth(s.db());
  ApiToken t;
  t.name = "ci";
  t.role = "operator";
  t.token_hash = std::string(64, 'a');
  t.created_at = 10;
  auto saved = auth.tokens().add(t);
  EXPECT_GT(saved.id, 0);
  t.token_hash = std::string(64, 'b');
  try {
    auth.tokens().add(t);
    FAIL() << "two active tokens with one name";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_EQ(e.field(), "name");
  }
  EXPECT_EQ(auth.tokens().by_hash(std::string(64, 'a'))->name, "ci");
  EXPECT_FALSE(auth.tokens().by_hash(std::string(64, 'c')));
  EXPECT_EQ(auth.tokens().count_active(), 1);
  auth.tokens().mark_used(saved.id, 100);
  auth.tokens().mark_used(saved.id, 120);  // within a minute: not written again
  EXPECT_DOUBLE_EQ(*auth.tokens().by_id(saved.id)->last_used_at, 100);
  EXPECT_TRUE(auth.tokens().revoke(saved.id, 200));
  EXPECT_FALSE(auth.tokens().revoke(saved.id, 300)) << "already revoked";
  EXPECT_DOUBLE_EQ(*auth.tokens().by_hash(std::string(64, 'a'))->revoked_at, 200);
  EXPECT_EQ(auth.tokens().count_active(), 0);
  EXPECT_NO_THROW(auth.tokens().add(t)) << "the name is free again once revoked";
  EXPECT_EQ(auth.tokens().all().size(), 2u) << "revoked tokens stay as history";
}

TEST_P(AuthTablesOn, UsersSessionsExpireAndEndWithThePassword) {
  Store s(location());
  AuthStore auth(s.db());
  User u;
  u.name = "ana";
  u.role = "admin";
  u.password_hash = "$argon2id$x";
  u.created_at = 1;
  auto ana = auth.users().add(u);
  EXPECT_THROW(auth.users().add(u), Error);
  EXPECT_EQ(auth.users().count(), 1);
  Session sess;
  sess.user_id = ana.id;
  sess.token_hash = std::string(64, 's');
  sess.csrf_hash = std::string(64, 'c');
  sess.created_at = 100;
  sess.expires_at = 200;
  auth.sessions().add(sess);
  EXPECT_TRUE(auth.sessions().live_by_hash(std::string(64, 's'), 150));
  EXPECT_FALSE(auth.sessions().live_by_hash(std::string(64, 's'), 200)) << "expired at expires_at";
  auth.users().set_password(ana.id, "$argon2id$y");
  EXPECT_FALSE(auth.sessions().live_by_hash(std::string(64, 's'), 150)) << "a new password ends the sessions";
  EXPECT_EQ(auth.users().by_name("ana")->password_hash, "$argon2id$y");
  sess.token_hash = std::string(64, 't');
  auth.sessions().add(sess);
  EXPECT_EQ(auth.sessions().purge_expired(250), 1);
  EXPECT_TRUE(auth.users().remove(ana.id));
  EXPECT_FALSE(auth.users().by_id(ana.id));
}

TEST_P(AuthTablesOn, AuditLogPagesNewestFirst) {
  Store s(location());
  AuthStore auth(s.db());
  for (int i = 0; i < 5; ++i) {
    AuditEntry e;
    e.t = 100 + i;
    e.actor = "ana";
    e.action = "POST /api/deploy";
    e.status = 200 + i;
    auth.audit().add(e);
  }
  auto page = auth.audit().recent(2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].status, 204);
  EXPECT_EQ(page[1].status, 203);
  auto next = auth.audit().recent(10, page[1].id);
  ASSERT_EQ(next.size(), 3u);
  EXPECT_EQ(next[0].status, 202);
}

TEST_P(AuthTablesOn, EnrollmentsAreFoundByTheirCredentialHash) {
  Store s(location());
  AuthStore auth(s.db());
  Enrollment e;
  e.name = "nano-7";
  e.machine_id = "0123";
  e.device_token_hash = std::string(64, 'd');
  e.requested_at = 5;
  auto saved = auth.enrollments().add(e);
  EXPECT_EQ(auth.enrollments().count_pending(), 1);
  saved.status = "accepted";
  saved.device_id = 3;
  saved.decided_at = 9;
  auth.enrollments().update(saved);
  auto back = auth.enrollments().by_device_token_hash(std::string(64, 'd'));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, "accepted");
  EXPECT_EQ(*back->device_id, 3);
  EXPECT_EQ(auth.enrollments().count_pending(), 0);
  EXPECT_EQ(auth.enrollments().all("accepted").size(), 1u);
  EXPECT_TRUE(auth.enrollments().all("pending").empty());
  e.name = "nano-8";
  EXPECT_THROW(auth.enrollments().add(e), Error) << "one credential, one enrollment";
}

TEST_P(AuthTablesOn, DeviceTokensAreSealedInTheDatabase) {
  std::string where = location();
  Store s(where);
  Device d;
  d.name = "old";
  d.address = "127.0.0.1:9";
  d.device_type = "rpi5";
  d.token = "plain-token-of-an-older-release";
  d.created_at = 1;
  auto old = s.devices().add(d);  // stored as given: no sealer yet
  SecretboxSealer sealer('k');
  s.devices().use_sealer(&sealer);
  EXPECT_EQ(s.devices().seal_stored_tokens(), 1);
  EXPECT_EQ(s.devices().seal_stored_tokens(), 0) << "sealed once";
  d.name = "new";
  d.token = "ema_new-device-token";
  auto fresh = s.devices().add(d);
  EXPECT_EQ(fresh.token, "ema_new-device-token");
  auto raw = s.db().read<std::vector<Row>>(
      [](Connection& c) { return c.query("SELECT name, token FROM devices ORDER BY id"); });
  ASSERT_EQ(raw.size(), 2u);
  for (const auto& row : raw) {
    EXPECT_EQ(row.text(1).rfind("sealed1:", 0), 0u) << row.text(0) << " is stored as " << row.text(1);
    EXPECT_EQ(row.text(1).find("token"), std::string::npos);
  }
  EXPECT_EQ(s.devices().by_id(old.id)->token, "plain-token-of-an-older-release");
  EXPECT_EQ(s.devices().by_name("new")->token, "ema_new-device-token");
  s.devices().set_token(old.id, "");
  EXPECT_EQ(s.devices().by_id(old.id)->token, "");

  SecretboxSealer other('o');  // the key file was replaced: the token is unusable, and says why
  s.devices().use_sealer(&other);
  auto unusable = s.devices().by_name("new");
  EXPECT_EQ(unusable->token, "");
  EXPECT_NE(unusable->last_error.find("cannot be used"), std::string::npos) << unusable->last_error;
}

TEST_P(AuthTablesOn, AVersion2DatabaseGetsTheTablesOfVersion4) {
  std::string where = location();
  {
    auto db = open_database(where);
    Schema v2 = controller_schema();
    std::erase_if(v2.create, [](const auto& create) {  // today's tables but those of version 4...
      return create(Dialect::sqlite).find("api_tokens") != std::string::npos;
    });
    std::erase_if(v2.migrations, [](const Migration& m) { return m.version > 2; });  // ...stamped at version 2
    EXPECT_EQ(migrate(*db, v2), 2);
    db->with([](Connection& c) { EXPECT_TRUE(c.columns("api_tokens").empty()); });
  }
  Store s(where);
  EXPECT_EQ(s.schema_version(), latest_version());
  for (const char* table : {"api_tokens", "users", "sessions", "audit_log", "enrollments"})
    s.db().with([&](Connection& c) { EXPECT_FALSE(c.columns(table).empty()) << table; });
  AuthStore auth(s.db());
  EXPECT_EQ(auth.users().count(), 0);
}

// Version numbers were given to features built in parallel: a database made by a release that had step 5 but not
// step 4 is at "version 5" without the tables of 4, and must still get them.
TEST_P(AuthTablesOn, AStepMissingBelowTheHighestIsStillApplied) {
  std::string where = location();
  {
    auto db = open_database(where);
    Schema without4 = controller_schema();
    std::erase_if(without4.create,
                  [](const auto& create) { return create(Dialect::sqlite).find("api_tokens") != std::string::npos; });
    std::erase_if(without4.migrations, [](const Migration& m) { return m.version == 4; });
    int stamped = migrate(*db, without4);
    ASSERT_GT(stamped, 4) << "this test needs a step above 4 (merged from another feature)";
    db->with([](Connection& c) {
      c.execute("DELETE FROM schema_migrations WHERE version = ?", {4LL});  // a release that never had step 4
      EXPECT_TRUE(c.columns("api_tokens").empty());
    });
  }
  Store s(where);
  EXPECT_EQ(s.schema_version(), latest_version());
  for (const char* table : {"api_tokens", "users", "sessions", "audit_log", "enrollments"})
    s.db().with([&](Connection& c) { EXPECT_FALSE(c.columns(table).empty()) << table; });
  s.db().with([](Connection& c) {
    EXPECT_EQ(c.query("SELECT COUNT(*) FROM schema_migrations WHERE version = 4").at(0).integer(0), 1);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTablesOn, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });
