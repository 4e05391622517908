#include <gtest/gtest.h>

#include <random>

#include "predictor/metrics.hpp"
#include "predictor/ridge.hpp"

using namespace edgeml::predictor;

TEST(PredictorRidge, RecoversAKnownLinearFunction) {
  // y = 5 + 2 x0 - 3 x1 + 0.5 x2, no noise: a tiny lambda must give the coefficients back.
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> u(-2, 2);
  const size_t n = 40, d = 3;
  std::vector<double> x(n * d), y(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) x[i * d + j] = u(rng);
    y[i] = 5 + 2 * x[i * d] - 3 * x[i * d + 1] + 0.5 * x[i * d + 2];
  }
  RidgeRegression r;
  r.fit(x, n, d, y, 1e-9);
  EXPECT_NEAR(r.intercept(), 5.0, 1e-6);
  EXPECT_NEAR(r.coefficients()[0], 2.0, 1e-6);
  EXPECT_NEAR(r.coefficients()[1], -3.0, 1e-6);
  EXPECT_NEAR(r.coefficients()[2], 0.5, 1e-6);
  const double row[3] = {1, 1, 1};
  EXPECT_NEAR(r.predict(row), 4.5, 1e-6);

  // A large penalty shrinks every coefficient towards zero.
  RidgeRegression shrunk;
  shrunk.fit(x, n, d, y, 1e6);
  EXPECT_LT(std::abs(shrunk.coefficients()[1]), 0.01);

  // Round trip through JSON.
  RidgeRegression back = RidgeRegression::from_json(r.to_json());
  EXPECT_DOUBLE_EQ(back.predict(row), r.predict(row));
}

TEST(PredictorRidge, HandlesCollinearColumns) {
  // log(throughput) = -log(latency) exactly in the benchmark files: ridge must still solve.
  const size_t n = 10, d = 2;
  std::vector<double> x(n * d), y(n);
  for (size_t i = 0; i < n; ++i) {
    x[i * d] = i;
    x[i * d + 1] = -static_cast<double>(i);
    y[i] = 3.0 * i;
  }
  RidgeRegression r;
  r.fit(x, n, d, y, 1e-3);
  const double row[2] = {4, -4};
  EXPECT_NEAR(r.predict(row), 12.0, 0.01);
}

TEST(PredictorMetrics, KnownValues) {
  const std::vector<double> actual{100, 200, 50, 400};
  const std::vector<double> pred{110, 180, 50, 200};  // APE: 10, 10, 0, 50
  Metrics m = compute_metrics(actual, pred);
  EXPECT_DOUBLE_EQ(m.mape_pct, 17.5);
  EXPECT_DOUBLE_EQ(m.median_ape_pct, 10.0);
  EXPECT_DOUBLE_EQ(m.mae_mwh, (10 + 20 + 0 + 200) / 4.0);
  EXPECT_DOUBLE_EQ(m.within_10_pct, 75.0);
  EXPECT_DOUBLE_EQ(m.within_20_pct, 75.0);
  // R2 = 1 - SSres/SStot; mean 187.5
  const double ss_tot = 87.5 * 87.5 + 12.5 * 12.5 + 137.5 * 137.5 + 212.5 * 212.5;
  EXPECT_NEAR(m.r2, 1 - (100 + 400 + 0 + 40000) / ss_tot, 1e-12);
  EXPECT_DOUBLE_EQ(compute_metrics(actual, actual).r2, 1.0);
  EXPECT_THROW(compute_metrics({}, {}), std::invalid_argument);
}
