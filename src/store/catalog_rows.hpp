#pragma once
// The catalog_rows table: rows measured elsewhere (fleet windows, API posts), kept so the controller's catalog has
// them again after a restart. The controller adapts it to catalog::RowSink/RowSource (controller/db_row_store.hpp);
// this file knows nothing of the row's columns.
#include <vector>

#include "store/records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<CatalogRowRecord>& catalog_rows_table();

class CatalogRowStore {
 public:
  explicit CatalogRowStore(Database& db) : db_(db) {}
  // One transaction for the batch: all rows are stored, or none (throws).
  void append(const std::vector<CatalogRowRecord>& rows);
  // Every row, oldest first.
  std::vector<CatalogRowRecord> all();
  long long count();

 private:
  Database& db_;
};

}  // namespace edgeml::store
