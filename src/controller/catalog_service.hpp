#pragma once
// The catalog the controller serves and the predictors that follow from it. Rows come from the benchmark files given
// at start and, while it runs, from agents' post-deploy windows and POST /api/catalog/rows; those are validated and
// flagged like file rows, kept in the database (catalog_rows, so they survive restarts) and, when clean, make the
// predictors of their device type recalibrate or retrain in the background. Readers take snapshots: nothing they hold
// changes under them.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "catalog/live_catalog.hpp"
#include "common/clock.hpp"
#include "controller/db_row_store.hpp"
#include "controller/predictors.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

class CatalogService {
 public:
  // Restores the rows kept in the database, then builds the predictors (on this thread: the start-up build).
  CatalogService(catalog::Catalog files, store::Store& db, std::filesystem::path predictor_dir, const Clock& clock);
  ~CatalogService();

  std::shared_ptr<const catalog::Catalog> snapshot() const { return live_.snapshot(); }
  std::uint64_t version() const { return live_.version(); }
  std::shared_ptr<const predictor::PredictorSet> predictors() const { return predictors_.current(); }
  LivePredictors& live_predictors() { return predictors_; }

  // Rows measured elsewhere (catalog::rows_from_json / rows_from_csv): persisted first (throws, adding nothing, when
  // the database fails), validated, published; device types that received clean rows get new predictors in the
  // background. The answer says what was added and which device types recalibrate.
  catalog::AddResult add(std::vector<catalog::ModelRow> rows);
  // Rows kept in the database that could not be read back at start ("catalog_rows id 7: ...").
  const std::vector<std::string>& skipped_at_start() const { return skipped_; }
  void stop() { predictors_.stop(); }

 private:
  DbRowStore rows_;
  catalog::LiveCatalog live_;
  LivePredictors predictors_;
  std::vector<std::string> skipped_;
};

}  // namespace edgeml::controller
