#include "predictor/ridge.hpp"

#include <cmath>
#include <stdexcept>

namespace edgeml::predictor {

namespace {

// Solves A w = b for symmetric positive definite A (d x d, row-major) by Cholesky. A is overwritten.
std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, size_t d) {
  for (size_t j = 0; j < d; ++j) {
    double s = a[j * d + j];
    for (size_t k = 0; k < j; ++k) s -= a[j * d + k] * a[j * d + k];
    if (s <= 0) throw std::runtime_error("ridge: matrix not positive definite (raise lambda)");
    const double l = std::sqrt(s);
    a[j * d + j] = l;
    for (size_t i = j + 1; i < d; ++i) {
      double t = a[i * d + j];
      for (size_t k = 0; k < j; ++k) t -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = t / l;
    }
  }
  for (size_t i = 0; i < d; ++i) {  // L z = b
    double t = b[i];
    for (size_t k = 0; k < i; ++k) t -= a[i * d + k] * b[k];
    b[i] = t / a[i * d + i];
  }
  for (size_t i = d; i-- > 0;) {  // L' w = z
    double t = b[i];
    for (size_t k = i + 1; k < d; ++k) t -= a[k * d + i] * b[k];
    b[i] = t / a[i * d + i];
  }
  return b;
}

}  // namespace

void RidgeRegression::fit(const std::vector<double>& x, size_t n, size_t d, const std::vector<double>& y, double lambda,
                          const std::vector<double>& weights) {
  if (n < 2 || d == 0 || x.size() != n * d || y.size() != n || lambda < 0 || (!weights.empty() && weights.size() != n))
    throw std::invalid_argument("ridge: bad shapes or lambda");
  // Row weights are rescaled to sum to n, so lambda means the same with and without them.
  std::vector<double> w(n, 1.0);
  if (!weights.empty()) {
    double total = 0;
    for (double v : weights) {
      if (!(v >= 0) || !std::isfinite(v)) throw std::invalid_argument("ridge: weights must be finite and >= 0");
      total += v;
    }
    if (!(total > 0)) throw std::invalid_argument("ridge: weights sum to 0");
    for (size_t i = 0; i < n; ++i) w[i] = weights[i] * static_cast<double>(n) / total;
  }
  const double nd = static_cast<double>(n);
  std::vector<double> mean(d, 0.0), scale(d, 0.0);
  double y_mean = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) mean[j] += w[i] * x[i * d + j];
    y_mean += w[i] * y[i];
  }
  for (auto& m : mean) m /= nd;
  y_mean /= nd;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < d; ++j) scale[j] += w[i] * (x[i * d + j] - mean[j]) * (x[i * d + j] - mean[j]);
  for (auto& s : scale) s = s > 0 ? std::sqrt(s / nd) : 1.0;  // a constant column gets weight 0 anyway

  // Normal equations on standardized columns: (Z'WZ + lambda I) c = Z'W(y - mean y).
  std::vector<double> a(d * d, 0.0), b(d, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) {
      const double zj = (x[i * d + j] - mean[j]) / scale[j];
      b[j] += w[i] * zj * (y[i] - y_mean);
      for (size_t k = 0; k <= j; ++k) a[j * d + k] += w[i] * zj * (x[i * d + k] - mean[k]) / scale[k];
    }
  }
  for (size_t j = 0; j < d; ++j) {
    for (size_t k = 0; k < j; ++k) a[k * d + j] = a[j * d + k];
    a[j * d + j] += lambda + 1e-12;
  }
  std::vector<double> c = solve_spd(std::move(a), std::move(b), d);
  coef_.assign(d, 0.0);
  intercept_ = y_mean;
  for (size_t j = 0; j < d; ++j) {
    coef_[j] = c[j] / scale[j];
    intercept_ -= coef_[j] * mean[j];
  }
}

double RidgeRegression::predict(const double* row) const {
  double v = intercept_;
  for (size_t j = 0; j < coef_.size(); ++j) v += coef_[j] * row[j];
  return v;
}

nlohmann::json RidgeRegression::to_json() const { return {{"coefficients", coef_}, {"intercept", intercept_}}; }

RidgeRegression RidgeRegression::from_json(const nlohmann::json& j) {
  RidgeRegression r;
  r.coef_ = j.at("coefficients").get<std::vector<double>>();
  r.intercept_ = j.at("intercept").get<double>();
  return r;
}

}  // namespace edgeml::predictor
