#pragma once
// Versioned schema migrations, run at start on both backends. A new database is created from the current table
// definitions and stamped with the latest version; an existing one gets the steps it has not had yet, in order, each
// recorded in schema_migrations. A database made before versioning (the first releases, SQLite) is recognised by its
// tables and counts as version 1. Several controllers starting together on one PostgreSQL database take turns (an
// advisory lock), so each step runs once.
#include <functional>
#include <string>
#include <vector>

#include "store/sql.hpp"

namespace edgeml::store {

struct Migration {
  int version = 0;
  std::string description;
  std::function<void(Connection&)> apply;
};

struct Schema {
  std::vector<std::function<std::string(Dialect)>> create;  // CREATE TABLE/INDEX IF NOT EXISTS statements, current
  std::vector<Migration> migrations;                        // versions 2, 3, ... (1 = the first release)
  std::string legacy_table = "devices";                     // present without schema_migrations = version 1
};

// Returns the version the database is at afterwards.
int migrate(Database& db, const Schema& schema);
int schema_version(Database& db);

// A migration step: add a column when it is missing (idempotent, so a database that already has it from an
// unversioned release is fine).
void add_column_if_missing(Connection& c, const std::string& table, const std::string& column_ddl);

}  // namespace edgeml::store
