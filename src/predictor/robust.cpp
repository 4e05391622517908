#include "predictor/robust.hpp"

#include <algorithm>
#include <cmath>

namespace edgeml::predictor {

RidgeRegression fit_huber(const std::vector<double>& x, size_t n, size_t d, const std::vector<double>& y,
                          double lambda) {
  RidgeRegression r;
  r.fit(x, n, d, y, lambda);  // least squares start
  std::vector<double> weights(n, 1.0), residual(n), abs_residual(n);
  for (int it = 0; it < kHuberMaxIterations; ++it) {
    for (size_t i = 0; i < n; ++i) {
      residual[i] = y[i] - r.predict(&x[i * d]);
      abs_residual[i] = std::fabs(residual[i]);
    }
    std::nth_element(abs_residual.begin(), abs_residual.begin() + static_cast<long>(n / 2), abs_residual.end());
    const double scale = abs_residual[n / 2] / 0.6745;
    if (!(scale > 1e-12)) break;  // half the rows fitted exactly: nothing left to down-weight
    const double k = kHuberTuning * scale;
    double change = 0;
    for (size_t i = 0; i < n; ++i) {
      const double a = std::fabs(residual[i]);
      const double w = a <= k ? 1.0 : k / a;
      change = std::max(change, std::fabs(w - weights[i]));
      weights[i] = w;
    }
    r.fit(x, n, d, y, lambda, weights);
    if (change < 1e-6) break;
  }
  return r;
}

}  // namespace edgeml::predictor
