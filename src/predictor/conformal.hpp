#pragma once
// Split-conformal prediction intervals in log space: with r = |log(actual) - log(predicted)| over out-of-fold
// predictions, the interval is predicted x [exp(-q), exp(q)] where q is the ceil((n+1) c)-th smallest r.
// The coverage we report is measured honestly: for each held-out fold, q comes from the OTHER folds' residuals only.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace edgeml::predictor {

// ceil((n+1) coverage)-th smallest value (1-based), or the largest when that rank exceeds n. Empty input -> 0.
double conformal_quantile(std::vector<double> abs_residuals, double coverage);

// |log(actual) - log(predicted)|; predictions <= 0 are taken as 1e-9 (a gross miss, kept as such).
double log_residual(double actual, double predicted);

struct IntervalCalibration {
  double coverage_target = 0.9;
  double log_half_width = 0;           // q: interval = prediction x [exp(-q), exp(q)], from all out-of-fold residuals
  double heldout_coverage = 0;         // fraction of held-out rows inside an interval calibrated on the other folds
  double mean_heldout_half_width = 0;  // mean q over those held-out folds
  size_t residuals = 0;
  std::string split = "kfold";  // folds the residuals come from: kfold | family
  nlohmann::json to_json() const;
  static IntervalCalibration from_json(const nlohmann::json& j);
};

// actual[i]; oof[r][i] out-of-fold predictions of repeat r; folds[r][i] the fold row i was held out in.
IntervalCalibration calibrate_intervals(const std::vector<double>& actual, const std::vector<std::vector<double>>& oof,
                                        const std::vector<std::vector<int>>& folds, double coverage);

}  // namespace edgeml::predictor
