#pragma once
// The controller's predictors: loaded from its state folder when they match the loaded data, else trained at start.
#include <filesystem>
#include <memory>

#include "catalog/catalog.hpp"
#include "predictor/predictor_set.hpp"

namespace edgeml::controller {

std::unique_ptr<predictor::PredictorSet> load_or_train_predictors(const catalog::Catalog& catalog,
                                                                  const std::filesystem::path& dir);

}  // namespace edgeml::controller
