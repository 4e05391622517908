#pragma once
// Training one predictor: cross-validate every formulation that applies (repeated k-fold and family held out), choose
// the simplest formulation whose family-held-out MAPE is within one standard error of the lowest (a more complex
// learner must beat it by more than the CV can resolve), calibrate its interval on its family-held-out out-of-fold
// residuals (a new architecture is the case that matters), then fit it on all rows.
#include <functional>
#include <string>
#include <vector>

#include "predictor/energy_model.hpp"
#include "predictor/nested_cv.hpp"

namespace edgeml::predictor {

using Progress = std::function<void(const std::string&)>;

struct TrainSettings {
  CvSettings cv;
  LearnerSettings learner;
  std::vector<std::string> formulations;  // candidates by name; empty: every formulation that applies
  double now_s = 0;                       // recorded as trained_at_s (passed in: nothing reads the clock here)
  // Also run nested CV (k-fold and family outer folds) of the whole choice procedure: the figure to report when
  // several formulations compete. Costs about (folds x candidates) times one CV table, so `edgeml train` runs it and
  // the controller's background retraining does not.
  bool nested = false;
};

// The one-standard-error rule over CV rows listed simplest first: the first row whose MAPE <= best MAPE + best SE.
// Returns the index, and the rule with its figures in `why`.
size_t choose_formulation(const std::vector<CvRow>& rows_simplest_first, std::string& why);

// Fewest clean rows a predictor is trained on; below this a device gets no predictor (and says why).
inline constexpr size_t kMinTrainingRows = 8;

// Throws std::runtime_error when the data has fewer than kMinTrainingRows rows or the kind does not apply.
EnergyModel train_energy_model(const TrainingData& data, PredictorKind kind, const TrainSettings& settings,
                               const Progress& progress = {});

}  // namespace edgeml::predictor
