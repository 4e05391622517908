#pragma once
// PostgreSQL backend (libpq): a small pool of connections, so several request threads use the database at once.
// Several controllers may share one database (see store/leases.hpp for background work that must run once).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sql.hpp"

namespace edgeml::store {

class PostgresDatabase : public Database {
 public:
  // url: a libpq connection URI ("postgresql://user@host:port/db?..."). Throws Error(unavailable) when the server
  // cannot be reached (with libpq's reason, never the password).
  explicit PostgresDatabase(const std::string& url, size_t pool_size = 4);
  ~PostgresDatabase() override;
  Dialect dialect() const override { return Dialect::postgres; }
  std::string describe() const override { return description_; }
  void with(const std::function<void(Connection&)>& fn) override;

 private:
  class Conn;
  std::string url_;
  std::string description_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  size_t pool_size_;
  size_t created_ = 0;
};

// "a = ? AND b = '?'" -> "a = $1 AND b = '?'" (placeholders outside quotes only).
std::string to_dollar_placeholders(const std::string& sql);

}  // namespace edgeml::store
