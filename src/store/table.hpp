#pragma once
// A table defined once: its columns, each bound to a field of the record type, from which the CREATE statement, the
// column lists of SELECT/INSERT/UPDATE, the parameters and the reading of a row all follow. Adding a column is one
// line here (and a migration step for existing databases, see migrations.hpp).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/sql.hpp"

namespace edgeml::store {

enum class ColumnType { id, integer, real, text };

template <class R>
struct Column {
  std::string name;
  ColumnType type;
  std::string constraint;  // e.g. "NOT NULL DEFAULT ''", "NOT NULL UNIQUE"
  std::function<Value(const R&)> get;
  std::function<void(R&, const Row&, size_t)> set;
};

// Columns from record fields; the SQL type follows the field's C++ type.
template <class R>
Column<R> column(std::string name, long long R::*m, std::string constraint = "NOT NULL DEFAULT 0") {
  return {std::move(name), ColumnType::integer, std::move(constraint), [m](const R& r) { return Value(r.*m); },
          [m](R& r, const Row& row, size_t i) { r.*m = row.integer(i); }};
}
template <class R>
Column<R> column(std::string name, std::optional<long long> R::*m, std::string constraint = "") {
  return {std::move(name), ColumnType::integer, std::move(constraint), [m](const R& r) { return opt(r.*m); },
          [m](R& r, const Row& row, size_t i) { r.*m = row.opt_integer(i); }};
}
template <class R>
Column<R> column(std::string name, bool R::*m, std::string constraint = "NOT NULL DEFAULT 0") {
  return {std::move(name), ColumnType::integer, std::move(constraint),
          [m](const R& r) { return Value(static_cast<long long>(r.*m ? 1 : 0)); },
          [m](R& r, const Row& row, size_t i) { r.*m = row.integer(i) != 0; }};
}
template <class R>
Column<R> column(std::string name, double R::*m, std::string constraint = "NOT NULL DEFAULT 0") {
  return {std::move(name), ColumnType::real, std::move(constraint), [m](const R& r) { return Value(r.*m); },
          [m](R& r, const Row& row, size_t i) { r.*m = row.real(i); }};
}
template <class R>
Column<R> column(std::string name, std::optional<double> R::*m, std::string constraint = "") {
  return {std::move(name), ColumnType::real, std::move(constraint), [m](const R& r) { return opt(r.*m); },
          [m](R& r, const Row& row, size_t i) { r.*m = row.opt_real(i); }};
}
template <class R>
Column<R> column(std::string name, std::string R::*m, std::string constraint = "NOT NULL DEFAULT ''") {
  return {std::move(name), ColumnType::text, std::move(constraint), [m](const R& r) { return Value(r.*m); },
          [m](R& r, const Row& row, size_t i) { r.*m = row.text(i); }};
}
// The primary key: an integer id the database assigns.
template <class R>
Column<R> id_column(long long R::*m) {
  return {"id", ColumnType::id, "", [m](const R& r) { return Value(r.*m); },
          [m](R& r, const Row& row, size_t i) { r.*m = row.integer(i); }};
}

std::string sql_type(ColumnType type, Dialect d);

template <class R>
class Table {
 public:
  // `extra` holds table constraints written inside CREATE TABLE (e.g. "PRIMARY KEY (a, b)").
  Table(std::string name, std::vector<Column<R>> columns, std::vector<std::string> extra = {})
      : name_(std::move(name)), columns_(std::move(columns)), extra_(std::move(extra)) {}

  const std::string& name() const { return name_; }
  const std::vector<Column<R>>& columns() const { return columns_; }
  bool has_id() const { return !columns_.empty() && columns_.front().type == ColumnType::id; }

  std::string create_sql(Dialect d) const {
    std::string sql = "CREATE TABLE IF NOT EXISTS " + name_ + " (";
    for (size_t i = 0; i < columns_.size(); ++i) sql += (i ? ", " : "") + column_ddl(columns_[i], d);
    for (const auto& e : extra_) sql += ", " + e;
    return sql + ")";
  }
  // "name TYPE constraint", for CREATE TABLE and for a migration's ADD COLUMN.
  std::string column_ddl(const std::string& column_name, Dialect d) const { return column_ddl(find(column_name), d); }

  // "a, b, c" (with the id first when the table has one).
  std::string select_list() const { return list(false); }
  std::string select(const std::string& rest) const {
    return "SELECT " + select_list() + " FROM " + name_ + " " + rest;
  }
  // INSERT of every column but the id; "RETURNING id" when the table has one.
  std::string insert_sql(const std::string& conflict = "") const {
    std::string cols = list(true), marks;
    for (size_t i = has_id() ? 1 : 0; i < columns_.size(); ++i) marks += (marks.empty() ? "?" : ", ?");
    return "INSERT INTO " + name_ + " (" + cols + ") VALUES (" + marks + ")" +
           (conflict.empty() ? "" : " " + conflict) + (has_id() ? " RETURNING id" : "");
  }
  // UPDATE of every column but the id, by id (the id is the last parameter).
  std::string update_sql() const {
    std::string sets;
    for (size_t i = 1; i < columns_.size(); ++i) sets += (i > 1 ? ", " : "") + columns_[i].name + " = ?";
    return "UPDATE " + name_ + " SET " + sets + " WHERE id = ?";
  }
  Params insert_params(const R& r) const {
    Params p;
    for (size_t i = has_id() ? 1 : 0; i < columns_.size(); ++i) p.push_back(columns_[i].get(r));
    return p;
  }
  Params update_params(const R& r) const {
    Params p = insert_params(r);
    p.push_back(columns_.front().get(r));
    return p;
  }
  R read(const Row& row) const {
    R r{};
    for (size_t i = 0; i < columns_.size() && i < row.size(); ++i) columns_[i].set(r, row, i);
    return r;
  }
  std::vector<R> read_all(const std::vector<Row>& rows) const {
    std::vector<R> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(read(row));
    return out;
  }

 private:
  const Column<R>& find(const std::string& n) const {
    for (const auto& c : columns_)
      if (c.name == n) return c;
    throw std::logic_error("table " + name_ + " has no column " + n);
  }
  std::string column_ddl(const Column<R>& c, Dialect d) const {
    std::string s = c.name + " " + sql_type(c.type, d);
    if (!c.constraint.empty()) s += " " + c.constraint;
    return s;
  }
  std::string list(bool skip_id) const {
    std::string s;
    for (size_t i = (skip_id && has_id()) ? 1 : 0; i < columns_.size(); ++i)
      s += (s.empty() ? "" : ", ") + columns_[i].name;
    return s;
  }
  std::string name_;
  std::vector<Column<R>> columns_;
  std::vector<std::string> extra_;
};

// Time buckets in GROUP BY: SQLite's CAST truncates, PostgreSQL's rounds, so each gets its own floor.
std::string floor_div(Dialect d, const std::string& expr, const std::string& width);

}  // namespace edgeml::store
