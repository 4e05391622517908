#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "predictor/xgb_booster.hpp"

using namespace edgeml::predictor;

// The flattened trees must give what XGBoost itself predicts, for boosting and for random-forest mode, on rows
// seen in training and on new ones (including a missing value).
TEST(PredictorTreeEnsemble, MatchesXgboostPredictions) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<float> u(0, 10);
  const size_t n = 200, d = 4;
  std::vector<float> x(n * d), y(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) x[i * d + j] = u(rng);
    y[i] = std::sin(x[i * d]) * 3 + x[i * d + 1] * x[i * d + 2] / 10 + (x[i * d + 3] > 5 ? 2.f : 0.f);
  }
  XgbParams gbm;
  gbm.params = {{"max_depth", "4"}, {"eta", "0.1"}, {"subsample", "0.8"}, {"seed", "3"}, {"base_score", "2.5"}};
  gbm.rounds = 80;
  XgbParams rf;
  rf.params = {{"num_parallel_tree", "50"}, {"eta", "1"},       {"subsample", "0.632"},
               {"colsample_bynode", "0.7"}, {"max_depth", "6"}, {"seed", "3"}};
  rf.rounds = 1;
  for (const XgbParams* p : {&gbm, &rf}) {
    XgbBooster b = XgbBooster::train(x, n, d, y, *p);
    for (size_t i = 0; i < n; ++i) {
      const float* row = &x[i * d];
      EXPECT_NEAR(b.predict(row), b.predict_with_xgboost(row), 1e-5) << "row " << i;
    }
    const float fresh[4] = {1.5f, 9.f, std::nanf(""), 7.f};
    EXPECT_NEAR(b.predict(fresh), b.predict_with_xgboost(fresh), 1e-5);
    // A reloaded booster is flattened again and predicts the same.
    XgbBooster back = XgbBooster::load_ubj(b.save_ubj(), d);
    EXPECT_EQ(back.predict(fresh), b.predict(fresh));
  }
}
