#pragma once
// The catalog's RowSink/RowSource on the controller's database (the catalog_rows table), so rows measured at run time
// (fleet windows, POST /api/catalog/rows) survive restarts. Each row is stored as catalog::row_record writes it: as
// measured, so validation and repairs re-apply when it is read back.
#include "catalog/row_store.hpp"
#include "common/clock.hpp"
#include "store/catalog_rows.hpp"

namespace edgeml::controller {

class DbRowStore final : public catalog::RowSink, public catalog::RowSource {
 public:
  DbRowStore(store::CatalogRowStore& rows, const Clock& clock) : rows_(rows), clock_(clock) {}
  void append(const std::vector<catalog::ModelRow>& rows) override;  // one transaction
  Loaded load() const override;                                      // unreadable records are skipped and named

 private:
  store::CatalogRowStore& rows_;
  const Clock& clock_;
};

}  // namespace edgeml::controller
