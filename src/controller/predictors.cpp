#include "controller/predictors.hpp"

#include "common/log.hpp"

namespace edgeml::controller {

std::unique_ptr<predictor::PredictorSet> load_or_train_predictors(const catalog::Catalog& catalog,
                                                                  const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto set = std::make_unique<predictor::PredictorSet>(predictor::PredictorSet::train_or_load(catalog, dir));
  for (const auto& name : set->devices()) {
    const auto& d = set->device(name);
    std::string measured = d.measured ? "measured ready" : "no measured predictor (" + d.measured_unavailable + ")";
    std::string stat = d.static_model ? "static ready" : "no static predictor (" + d.static_unavailable + ")";
    log::info("controller", name + ": " + measured + "; " + stat);
  }
  return set;
}

}  // namespace edgeml::controller
