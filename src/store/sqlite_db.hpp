#pragma once
// SQLite backend: one connection (WAL journal, busy timeout, foreign keys) shared behind a mutex, in a file created
// with owner-only permissions (it holds credentials hashes and device secrets).
#include <filesystem>
#include <mutex>
#include <string>

#include "store/sql.hpp"

struct sqlite3;

namespace edgeml::store {

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(const std::filesystem::path& file);
  ~SqliteDatabase() override;
  Dialect dialect() const override { return Dialect::sqlite; }
  std::string describe() const override { return "sqlite " + file_.string(); }
  void with(const std::function<void(Connection&)>& fn) override;
  std::string journal_mode();

 private:
  class Conn;
  std::filesystem::path file_;
  std::mutex mu_;
  std::unique_ptr<Conn> conn_;
  void* db_handle_ = nullptr;  // sqlite3*
};

}  // namespace edgeml::store
