#pragma once
// Accuracy of energy predictions, in the units users read (mWh per measured run, percent).
#include <nlohmann/json.hpp>
#include <vector>

namespace edgeml::predictor {

struct Metrics {
  double r2 = 0;              // 1 - SS_res / SS_tot on mWh
  double mae_mwh = 0;         // mean |error|
  double mape_pct = 0;        // mean |error| / actual x 100
  double median_ape_pct = 0;  // median of the same
  double within_10_pct = 0;   // % of models predicted within +-10% of the actual value
  double within_20_pct = 0;   // % within +-20%
  double spearman = 0;        // rank correlation of predicted and actual (a recommender ranks models)
  size_t n = 0;
};

// actual and predicted have the same size (> 0); actual values > 0.
Metrics compute_metrics(const std::vector<double>& actual, const std::vector<double>& predicted);
// Spearman rank correlation (ties get their mean rank); 0 when undefined (fewer than 2 values, constant input).
double spearman_correlation(const std::vector<double>& a, const std::vector<double>& b);
// Field-by-field mean (used to average the repeats of a cross-validation).
Metrics mean_metrics(const std::vector<Metrics>& runs);

nlohmann::json to_json(const Metrics& m);
Metrics metrics_from_json(const nlohmann::json& j);

}  // namespace edgeml::predictor
