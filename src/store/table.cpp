#include "store/table.hpp"

namespace edgeml::store {

std::string sql_type(ColumnType type, Dialect d) {
  const bool pg = d == Dialect::postgres;
  switch (type) {
    case ColumnType::id:
      return pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
    case ColumnType::integer:
      return pg ? "BIGINT" : "INTEGER";
    case ColumnType::real:
      return pg ? "DOUBLE PRECISION" : "REAL";
    case ColumnType::text:
      return "TEXT";
  }
  return "TEXT";
}

std::string floor_div(Dialect d, const std::string& expr, const std::string& width) {
  if (d == Dialect::postgres) return "FLOOR((" + expr + ") / " + width + ")";
  return "CAST((" + expr + ") / " + width + " AS INTEGER)";
}

}  // namespace edgeml::store
