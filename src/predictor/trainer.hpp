#pragma once
// Training one predictor: cross-validate every formulation that applies (repeated k-fold and family held out),
// choose the one with the lowest k-fold MAPE, calibrate its interval from its out-of-fold residuals, then fit it on
// all rows.
#include <functional>
#include <string>
#include <vector>

#include "predictor/energy_model.hpp"

namespace edgeml::predictor {

using Progress = std::function<void(const std::string&)>;

struct TrainSettings {
  CvSettings cv;
  LearnerSettings learner;
  std::vector<std::string> formulations;  // candidates by name; empty: every formulation that applies
};

// Fewest clean rows a predictor is trained on; below this a device gets no predictor (and says why).
inline constexpr size_t kMinTrainingRows = 8;

// Throws std::runtime_error when the data has fewer than kMinTrainingRows rows or the kind does not apply.
EnergyModel train_energy_model(const TrainingData& data, PredictorKind kind, const TrainSettings& settings,
                               const Progress& progress = {});

}  // namespace edgeml::predictor
