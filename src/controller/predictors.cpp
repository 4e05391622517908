#include "controller/predictors.hpp"

#include "common/log.hpp"

namespace edgeml::controller {

std::unique_ptr<predictor::PredictorSet> load_or_train_predictors(const catalog::Catalog& catalog,
                                                                  const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto set = std::make_unique<predictor::PredictorSet>(predictor::PredictorSet::train_or_load(catalog, dir));
  for (const auto& d : set->devices()) log::info("controller", "predictors ready for " + d);
  return set;
}

}  // namespace edgeml::controller
