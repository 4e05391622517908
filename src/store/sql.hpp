#pragma once
// The little SQL layer the controller's store is written against, so the same table code runs on SQLite (the embedded
// default) and PostgreSQL (a fleet that outgrows one machine). SQL text uses '?' placeholders; a backend rewrites them
// for its engine. Values are null, integer, real or text. Errors are Error(internal) with the engine's message, or
// Error(conflict) for a unique-key violation.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace edgeml::store {

using Value = std::variant<std::monostate, long long, double, std::string>;
using Params = std::vector<Value>;

Value opt(const std::optional<double>& v);
Value opt(const std::optional<long long>& v);

class Row {
 public:
  explicit Row(std::vector<Value> values) : v_(std::move(values)) {}
  size_t size() const { return v_.size(); }
  bool is_null(size_t i) const;
  long long integer(size_t i) const;  // text and real are converted; null is 0
  double real(size_t i) const;        // null is 0
  std::string text(size_t i) const;   // null is ""
  std::optional<double> opt_real(size_t i) const;
  std::optional<long long> opt_integer(size_t i) const;
  const Value& operator[](size_t i) const { return v_.at(i); }

 private:
  std::vector<Value> v_;
};

enum class Dialect { sqlite, postgres };

// One connection. Not thread-safe: a Database hands one to one caller at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  virtual void exec(const std::string& sql) = 0;  // no parameters, several statements allowed
  virtual std::vector<Row> query(const std::string& sql, const Params& params = {}) = 0;
  virtual long long execute(const std::string& sql, const Params& params = {}) = 0;  // rows changed
  // Many executions of one statement (batched inserts): prepared once.
  virtual void execute_many(const std::string& sql, const std::vector<Params>& rows) = 0;
  virtual std::vector<std::string> columns(const std::string& table) = 0;  // empty when the table does not exist
};

// A source of connections: SQLite shares one behind a lock; PostgreSQL keeps a pool.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual std::string describe() const = 0;  // "sqlite /path/controller.db", "postgresql 127.0.0.1:5432/edgeml"
  // Runs fn with a connection of its own (no one else uses it meanwhile).
  virtual void with(const std::function<void(Connection&)>& fn) = 0;
  // Runs fn inside a transaction: committed when fn returns, rolled back when it throws.
  void transaction(const std::function<void(Connection&)>& fn);

  template <class T>
  T read(const std::function<T(Connection&)>& fn) {
    std::optional<T> out;
    with([&](Connection& c) { out = fn(c); });
    return std::move(*out);
  }
};

// "postgresql://user@host:port/db" (or postgres://) -> PostgreSQL; anything else is a SQLite file path.
std::unique_ptr<Database> open_database(const std::string& url_or_path);

}  // namespace edgeml::store
