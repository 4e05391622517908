#include "controller/catalog_service.hpp"

#include "common/log.hpp"

namespace edgeml::controller {

CatalogService::CatalogService(catalog::Catalog files, store::Store& db, std::filesystem::path predictor_dir,
                               const Clock& clock)
    : rows_(db.catalog_rows(), clock), live_(std::move(files), &rows_), predictors_(std::move(predictor_dir), clock) {
  skipped_ = live_.restore(rows_);
  for (const auto& s : skipped_) log::warn("controller", "a stored catalog row could not be read: " + s);
  auto snap = live_.snapshot();
  size_t runtime_rows = 0;
  for (const auto& r : snap->rows()) runtime_rows += r.provenance.origin != catalog::kOriginFile;
  if (runtime_rows) log::info("controller", std::to_string(runtime_rows) + " fleet/API catalog rows restored");
  predictors_.build_now(snap, live_.version());
}

CatalogService::~CatalogService() { stop(); }

catalog::AddResult CatalogService::add(std::vector<catalog::ModelRow> rows) {
  auto result = live_.add(std::move(rows));
  if (!result.device_types.empty()) {
    std::string types;
    for (const auto& d : result.device_types) types += (types.empty() ? "" : ", ") + d;
    predictors_.rebuild(live_.snapshot(), result.version,
                        std::to_string(result.clean) + " clean row(s) added for " + types);
  }
  return result;
}

}  // namespace edgeml::controller
