#pragma once
// Nested cross-validation: the honest figure for the whole training procedure, "compare the formulations, choose one
// by the one-standard-error rule, calibrate its interval, fit it". For each outer fold that procedure runs on the
// outer-training rows alone (its own family-held-out inner folds); the model it picks then predicts the held-out rows
// and its interval is checked on them. The held-out rows -- for family folds, the whole family -- take part in no
// fit, no choice and no calibration, so the figure carries the cost of choosing among the candidates.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "predictor/conformal.hpp"
#include "predictor/cross_validation.hpp"

namespace edgeml::predictor {

struct NestedCvResult {
  std::string split;  // outer folds: kfold | family
  Metrics metrics;    // out-of-fold predictions of the chosen models, mean over repeats
  double mape_se = 0;
  double coverage_target = 0.9;
  double interval_coverage = 0;          // held-out rows inside the interval calibrated on the inner folds
  double mean_interval_factor = 1;       // mean x/÷ factor of those intervals
  std::map<std::string, int> chosen;     // formulation -> outer folds in which the procedure chose it
  std::vector<std::vector<double>> oof;  // [repeat][row] predicted mWh (not saved)
  nlohmann::json to_json() const;
  static NestedCvResult from_json(const nlohmann::json& j);
};

// The choice step on one set of rows (the trainer runs it on all rows, the nested CV on each outer-training set):
// family-held-out CV of every candidate, the one-standard-error rule over candidates listed simplest first, the
// interval calibrated on the chosen candidate's family-held-out residuals.
struct FamilyChoice {
  std::vector<CvResult> family;  // one per candidate, in the candidates' order
  size_t chosen = 0;
  std::string why;
  IntervalCalibration interval;
};
FamilyChoice choose_on_family_folds(const TrainingData& data, PredictorKind kind,
                                    const std::vector<Formulation>& candidates, const CvSettings& cv,
                                    const LearnerSettings& learner,
                                    const std::function<void(const Formulation&)>& before_each = {});

// Throws std::runtime_error when there are too few rows or families for the outer and inner folds.
NestedCvResult nested_cross_validate(const TrainingData& data, PredictorKind kind,
                                     const std::vector<Formulation>& candidates, Split outer, const CvSettings& cv,
                                     const LearnerSettings& learner);

}  // namespace edgeml::predictor
