#pragma once
// A thin RAII layer over the SQLite C API: one connection (WAL journal, busy timeout, foreign keys) and prepared
// statements with typed binds and columns. Errors are std::runtime_error carrying SQLite's message.
#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>

namespace edgeml::controller {

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based, like SQLite's.
  Statement& bind(int i, const std::string& v);
  Statement& bind(int i, double v);
  Statement& bind(int i, long long v);
  Statement& bind(int i, int v) { return bind(i, static_cast<long long>(v)); }
  Statement& bind(int i, std::optional<double> v);
  Statement& bind_null(int i);

  bool step();   // true while a row is available
  void run();    // step to completion (INSERT/UPDATE)
  void reset();  // ready to run again with new binds

  std::string text(int col) const;
  double real(int col) const;
  long long integer(int col) const;
  std::optional<double> opt_real(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  explicit SqliteDb(const std::filesystem::path& file);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const std::string& sql);
  Statement prepare(const std::string& sql) { return Statement(db_, sql); }
  long long last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  std::string journal_mode();

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace edgeml::controller
