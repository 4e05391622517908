#include "store/catalog_rows.hpp"

namespace edgeml::store {

const Table<CatalogRowRecord>& catalog_rows_table() {
  using R = CatalogRowRecord;
  static const Table<R> t(
      "catalog_rows",
      {id_column(&R::id), column("device_type", &R::device_type, "NOT NULL"), column("origin", &R::origin, "NOT NULL"),
       column("record", &R::record, "NOT NULL"), column("added_at", &R::added_at, "NOT NULL")});
  return t;
}

void CatalogRowStore::append(const std::vector<CatalogRowRecord>& rows) {
  if (rows.empty()) return;
  const auto& t = catalog_rows_table();
  std::vector<Params> params;
  params.reserve(rows.size());
  for (const auto& r : rows) params.push_back(t.insert_params(r));
  // insert_sql() ends in RETURNING id, which execute_many would have to read back row by row: not needed here.
  std::string sql = t.insert_sql();
  sql = sql.substr(0, sql.rfind(" RETURNING id"));
  db_.transaction([&](Connection& c) { c.execute_many(sql, params); });
}

std::vector<CatalogRowRecord> CatalogRowStore::all() {
  const auto& t = catalog_rows_table();
  return db_.read<std::vector<CatalogRowRecord>>(
      [&](Connection& c) { return t.read_all(c.query(t.select("ORDER BY id"))); });
}

long long CatalogRowStore::count() {
  return db_.read<long long>(
      [](Connection& c) { return c.query("SELECT COUNT(*) FROM catalog_rows").at(0).integer(0); });
}

}  // namespace edgeml::store
