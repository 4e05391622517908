#include "store/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "common/log.hpp"

namespace edgeml::store {

namespace {
double now_s() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

int current(Connection& c) {
  if (c.columns("schema_migrations").empty()) return 0;
  return static_cast<int>(c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").at(0).integer(0));
}

void record(Connection& c, int version, const std::string& description) {
  c.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
            {static_cast<long long>(version), description, now_s()});
}
}  // namespace

void add_column_if_missing(Connection& c, const std::string& table, const std::string& column_ddl) {
  std::string name = column_ddl.substr(0, column_ddl.find(' '));
  auto have = c.columns(table);
  if (std::find(have.begin(), have.end(), name) == have.end())
    c.exec("ALTER TABLE " + table + " ADD COLUMN " + column_ddl);
}

int schema_version(Database& db) {
  return db.read<int>([](Connection& c) { return current(c); });
}

int migrate(Database& db, const Schema& schema) {
  int latest = 1;
  for (const auto& m : schema.migrations) latest = std::max(latest, m.version);
  int result = 0;
  db.transaction([&](Connection& c) {
    if (c.dialect() == Dialect::postgres) c.query("SELECT pg_advisory_xact_lock(727274)");  // one migrator at a time
    c.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at " +
        std::string(c.dialect() == Dialect::postgres ? "DOUBLE PRECISION" : "REAL") + " NOT NULL)");
    int version = current(c);
    if (version == 0 && c.columns(schema.legacy_table).empty()) {
      // A new database: today's tables, stamped with the latest version.
      for (const auto& create : schema.create) c.exec(create(c.dialect()));
      for (int v = 1; v <= latest; ++v) record(c, v, v == 1 ? "initial schema" : "created at this version");
      log::info("store", "created the schema at version " + std::to_string(latest));
      result = latest;
      return;
    }
    if (version == 0) {
      record(c, 1, "database from before versioned migrations");
      version = 1;
    }
    // Tables added in later versions are created by their own step; CREATE ... IF NOT EXISTS is harmless here too.
    // Every step not recorded yet runs, not only those above the highest: version numbers are given to features
    // developed in parallel, so a database may have been made by a release with step 5 and not yet step 4.
    std::set<long long> applied;
    for (const auto& row : c.query("SELECT version FROM schema_migrations")) applied.insert(row.integer(0));
    for (const auto& m : schema.migrations) {
      if (m.version <= 1 || applied.count(m.version)) continue;
      log::info("store", "migrating to version " + std::to_string(m.version) + ": " + m.description);
      m.apply(c);
      record(c, m.version, m.description);
      version = std::max(version, m.version);
    }
    result = version;
  });
  return result;
}

}  // namespace edgeml::store
