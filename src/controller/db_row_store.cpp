#include "controller/db_row_store.hpp"

namespace edgeml::controller {

void DbRowStore::append(const std::vector<catalog::ModelRow>& rows) {
  std::vector<store::CatalogRowRecord> records;
  records.reserve(rows.size());
  const double now = clock_.now_s();
  for (const auto& r : rows) records.push_back({0, r.device_type, r.provenance.origin, catalog::row_record(r), now});
  rows_.append(records);
}

catalog::RowSource::Loaded DbRowStore::load() const {
  Loaded out;
  for (const auto& rec : rows_.all()) {
    try {
      catalog::ModelRow row = catalog::row_from_record(rec.record);
      row.line = static_cast<int>(rec.id);  // the row's place in the table, as a file row's line
      out.rows.push_back(std::move(row));
    } catch (const std::exception& e) {
      out.skipped.push_back("catalog_rows id " + std::to_string(rec.id) + ": " + e.what());
    }
  }
  return out;
}

}  // namespace edgeml::controller
