#include "store/sql.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"
#include "store/postgres_db.hpp"
#include "store/sqlite_db.hpp"

namespace edgeml::store {

Value opt(const std::optional<double>& v) { return v ? Value(*v) : Value(); }
Value opt(const std::optional<long long>& v) { return v ? Value(*v) : Value(); }

bool Row::is_null(size_t i) const { return std::holds_alternative<std::monostate>(v_.at(i)); }

long long Row::integer(size_t i) const {
  const Value& v = v_.at(i);
  if (auto p = std::get_if<long long>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<long long>(*p);
  if (auto p = std::get_if<std::string>(&v)) return parse_int(*p).value_or(0);
  return 0;
}

double Row::real(size_t i) const {
  const Value& v = v_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<long long>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return parse_double(*p).value_or(0);
  return 0;
}

std::string Row::text(size_t i) const {
  const Value& v = v_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<long long>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return format_number(*p, 17);
  return "";
}

std::optional<double> Row::opt_real(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return real(i);
}

std::optional<long long> Row::opt_integer(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

void Database::transaction(const std::function<void(Connection&)>& fn) {
  with([&](Connection& c) {
    c.exec("BEGIN");
    try {
      fn(c);
      c.exec("COMMIT");
    } catch (...) {
      try {
        c.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  });
}

std::unique_ptr<Database> open_database(const std::string& url_or_path) {
  if (url_or_path.rfind("postgresql://", 0) == 0 || url_or_path.rfind("postgres://", 0) == 0)
    return std::make_unique<PostgresDatabase>(url_or_path);
  return std::make_unique<SqliteDatabase>(url_or_path);
}

}  // namespace edgeml::store
