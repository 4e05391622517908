#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "catalog/model_row.hpp"
#include "predictor/conformal.hpp"
#include "predictor/cross_validation.hpp"
#include "predictor/training_data.hpp"

using namespace edgeml::predictor;

TEST(PredictorConformal, QuantileRank) {
  std::vector<double> r{0.5, 0.1, 0.4, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 1.0};
  // ceil(11 x 0.9) = 10th smallest
  EXPECT_DOUBLE_EQ(conformal_quantile(r, 0.9), 1.0);
  EXPECT_DOUBLE_EQ(conformal_quantile(r, 0.5), 0.6);  // ceil(5.5) = 6th
  EXPECT_DOUBLE_EQ(conformal_quantile({}, 0.9), 0.0);
}

TEST(PredictorConformal, HeldOutCoverageNearTargetOnSyntheticData) {
  // Log-normal multiplicative errors: an honest 90% interval must cover about 90% of held-out rows.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 0.2);
  const size_t n = 2000;
  std::vector<double> actual(n);
  std::vector<std::vector<double>> oof(1, std::vector<double>(n));
  for (size_t i = 0; i < n; ++i) {
    actual[i] = 10.0 + i % 50;
    oof[0][i] = actual[i] * std::exp(noise(rng));
  }
  std::vector<std::vector<int>> folds{kfold_assignment(n, 5, 3)};
  IntervalCalibration c = calibrate_intervals(actual, oof, folds, 0.9);
  EXPECT_NEAR(c.heldout_coverage, 0.9, 0.025);
  EXPECT_NEAR(c.log_half_width, 1.645 * 0.2, 0.03);  // 95th percentile of |N(0, 0.2)|
  EXPECT_EQ(c.residuals, n);
}

TEST(PredictorCv, FoldsAreBalancedAndFamiliesStayTogether) {
  auto f = kfold_assignment(23, 5, 1);
  std::vector<int> count(5, 0);
  for (int v : f) ++count[v];
  for (int c : count) EXPECT_GE(c, 4);
  EXPECT_EQ(kfold_assignment(23, 5, 1), f);  // seeded: reproducible
  EXPECT_NE(kfold_assignment(23, 5, 2), f);

  std::vector<std::string> groups{"a", "a", "b", "c", "c", "c", "d", "e", "e", "f"};
  auto g = group_assignment(groups, 3, 9);
  for (size_t i = 0; i < groups.size(); ++i)
    for (size_t j = 0; j < groups.size(); ++j) {
      if (groups[i] == groups[j]) {
        EXPECT_EQ(g[i], g[j]);
      }
    }
  EXPECT_EQ(std::set<int>(g.begin(), g.end()).size(), 3u);
}

namespace {
// A device whose runs all draw about 5 W: E = P x latency x N / 3.6, with small power noise.
std::vector<edgeml::catalog::ModelRow> physical_rows(size_t n) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> gf(0.1, 20), pw(4.8, 5.2);
  std::vector<edgeml::catalog::ModelRow> rows(n);
  for (size_t i = 0; i < n; ++i) {
    auto& r = rows[i];
    r.model = "net" + std::to_string(i % 7) + "_v" + std::to_string(i);
    r.device_type = "toy";
    r.gflops = gf(rng);
    r.gmacs = *r.gflops / 2;
    r.params_m = 1 + *r.gflops * 2;
    r.size_mb = *r.params_m * 4;
    r.latency_avg_s = 0.01 * *r.gflops * (0.5 + (i % 3) * 0.5);  // latency not a function of FLOPs alone
    r.throughput_iter_per_s = 1 / *r.latency_avg_s;
    r.iterations_per_measurement = 500;
    r.energy_avg_mwh = pw(rng) * *r.latency_avg_s * 500 / 3.6;
  }
  return rows;
}
}  // namespace

TEST(PredictorCv, PowerTimeModelLearnsPhysics) {
  auto rows = physical_rows(40);
  std::vector<const edgeml::catalog::ModelRow*> ptrs;
  for (auto& r : rows) ptrs.push_back(&r);
  rows[3].add_flag("power_implausible", "test");  // flagged rows are left out
  TrainingData data = TrainingData::from_rows("toy", ptrs);
  EXPECT_EQ(data.rows.size(), 39u);
  ASSERT_EQ(data.exclusions.size(), 1u);
  EXPECT_EQ(data.time_input, TimeInput::latency);
  EXPECT_EQ(data.iterations_per_measurement, 500);

  CvSettings cv;
  cv.repeats = 1;
  LearnerSettings ls;
  auto physics =
      cross_validate(data, PredictorKind::measured, formulation_by_name("power_time_ridge"), Split::kfold, cv, ls);
  auto static_only =
      cross_validate(data, PredictorKind::static_only, formulation_by_name("ridge_log_energy"), Split::kfold, cv, ls);
  EXPECT_LT(physics.metrics.mape_pct, 5.0);  // power is ~constant, the rest is E = P t
  EXPECT_GT(static_only.metrics.mape_pct, physics.metrics.mape_pct);
  EXPECT_EQ(physics.oof.size(), 1u);
  EXPECT_EQ(physics.oof[0].size(), 39u);
}

TEST(PredictorTrainingData, FingerprintFollowsTheRows) {
  auto rows = physical_rows(12);
  std::vector<const edgeml::catalog::ModelRow*> ptrs;
  for (auto& r : rows) ptrs.push_back(&r);
  const std::string a = TrainingData::from_rows("toy", ptrs).fingerprint;
  std::vector<const edgeml::catalog::ModelRow*> reversed(ptrs.rbegin(), ptrs.rend());
  EXPECT_EQ(TrainingData::from_rows("toy", reversed).fingerprint, a);  // file order does not matter
  rows[5].energy_avg_mwh = *rows[5].energy_avg_mwh + 0.001;
  EXPECT_NE(TrainingData::from_rows("toy", ptrs).fingerprint, a);
  EXPECT_EQ(a.size(), 64u);
}
