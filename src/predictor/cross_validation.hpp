#pragma once
// Repeated k-fold cross-validation of one formulation, by plain row folds or with whole architecture families held
// out together. Every number in the CV tables is an out-of-fold prediction: a row is never predicted by a model that
// saw it.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "predictor/formulation.hpp"
#include "predictor/metrics.hpp"
#include "predictor/training_data.hpp"

namespace edgeml::predictor {

enum class Split { kfold, family };
std::string_view split_name(Split s);  // "kfold" | "family"

struct CvSettings {
  int folds = 5;
  int repeats = 3;
  std::uint64_t seed = 42;
  double coverage = 0.9;
  nlohmann::json to_json() const;
};

// Fold index (0..k-1) of each of n rows: a seeded shuffle dealt round-robin. k is capped at n.
std::vector<int> kfold_assignment(size_t n, int k, std::uint64_t seed);
// Fold index of each row such that rows of one group share a fold: groups in seeded random order, each to the
// currently smallest fold. k is capped at the number of groups.
std::vector<int> group_assignment(const std::vector<std::string>& groups, int k, std::uint64_t seed);

struct CvResult {
  std::string formulation;
  Metrics metrics;     // mean over repeats
  double mape_sd = 0;  // spread of MAPE across repeats
  double mape_se = 0;  // standard error of MAPE: sd of the per-fold MAPEs / sqrt(folds), mean over repeats
  std::vector<std::vector<double>> oof;  // [repeat][row] predicted mWh
  std::vector<std::vector<int>> folds;   // [repeat][row] fold the row was held out in
};

CvResult cross_validate(const TrainingData& data, PredictorKind kind, const Formulation& f, Split split,
                        const CvSettings& cv, const LearnerSettings& learner);

// Energy (mWh) predicted by a fitted formulation for one feature vector and run time.
double predict_energy_mwh(const Formulation& f, const FittedModel& m, const double* features, double run_s);

// Fits a formulation on the given rows (indices into data.rows) of the kind's feature matrix x.
FittedModel fit_rows(const TrainingData& data, PredictorKind kind, const std::vector<double>& x, const Formulation& f,
                     const std::vector<size_t>& rows, const LearnerSettings& learner);

}  // namespace edgeml::predictor
