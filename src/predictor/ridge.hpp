#pragma once
// Ridge regression in closed form, (X'X + lambda I) w = X'y on standardized columns; the intercept is not penalized.
// Small dense problems only (a handful of features): solved by Cholesky, no library needed.
#include <nlohmann/json.hpp>
#include <vector>

namespace edgeml::predictor {

class RidgeRegression {
 public:
  // x: n rows x d columns, row-major. weights: one per row (>= 0), or empty for equal weights (robust.hpp reweights).
  // Throws std::invalid_argument on shape errors, n < 2 or bad weights.
  void fit(const std::vector<double>& x, size_t n, size_t d, const std::vector<double>& y, double lambda,
           const std::vector<double>& weights = {});
  double predict(const double* row) const;  // row has d values; no allocation
  size_t dims() const { return coef_.size(); }
  // Coefficients on the original (unstandardized) scale, and the intercept.
  const std::vector<double>& coefficients() const { return coef_; }
  double intercept() const { return intercept_; }

  nlohmann::json to_json() const;
  static RidgeRegression from_json(const nlohmann::json& j);

 private:
  std::vector<double> coef_;
  double intercept_ = 0;
};

}  // namespace edgeml::predictor
