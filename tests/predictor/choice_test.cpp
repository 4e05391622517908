// Honest model choice and intervals: the one-standard-error rule, Spearman beside MAPE, intervals calibrated on
// family-held-out folds, "ranking only" when the interval is wider than x/÷ 2, and the per-run predictor that takes
// duration_avg_s on a device whose own rows give latency (energy-per-run rows included).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "catalog/catalog.hpp"
#include "common/error.hpp"
#include "predictor/metrics.hpp"
#include "predictor/predictor_set.hpp"

using namespace edgeml;
using namespace edgeml::predictor;

namespace {

CvRow row(const std::string& name, double mape, double se) {
  CvRow r;
  r.formulation = name;
  r.metrics.mape_pct = mape;
  r.mape_se = se;
  return r;
}

// A device whose runs draw 4-6 W depending on the model (power follows the MAC rate), E = P x latency x N / 3.6.
std::vector<catalog::ModelRow> rows_of_a_board(size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> gf(0.1, 20), noise(0.97, 1.03);
  std::vector<catalog::ModelRow> rows(n);
  const char* families[] = {"resnet", "vit", "mobilenetv3", "efficientnet", "convnext", "regnety", "deit"};
  for (size_t i = 0; i < n; ++i) {
    auto& r = rows[i];
    r.model = std::string(families[i % 7]) + "_" + std::to_string(i);
    r.device_type = "board";
    r.gflops = gf(rng);
    r.gmacs = *r.gflops / 2;
    r.params_m = 1 + *r.gflops * 2;
    r.size_mb = *r.params_m * 4;
    r.latency_avg_s = 0.01 * *r.gflops * (0.5 + (i % 3) * 0.5);
    r.throughput_iter_per_s = 1 / *r.latency_avg_s;
    r.iterations_per_measurement = 500;
    const double watts = (4 + 2 * std::min(1.0, *r.gmacs / *r.latency_avg_s / 100)) * noise(rng);
    r.energy_avg_mwh = watts * *r.latency_avg_s * 500 / 3.6;
  }
  return rows;
}

TrainSettings light() {
  TrainSettings s;
  s.cv.repeats = 2;
  s.learner.gbm_rounds = 60;
  s.learner.rf_trees = 30;
  return s;
}

}  // namespace

TEST(PredictorChoice, OneStandardErrorRulePrefersTheSimplerFormulation) {
  std::string why;
  // Listed simplest first. The best (gbm, 20%) is within one SE (4) of ridge's 23%: ridge is chosen.
  std::vector<CvRow> rows{row("power_time_median", 30, 2), row("power_time_ridge", 23, 1),
                          row("gbm_log_energy", 20, 4)};
  EXPECT_EQ(choose_formulation(rows, why), 1u);
  EXPECT_NE(why.find("power_time_ridge"), std::string::npos);
  EXPECT_NE(why.find("gbm_log_energy 20.0% + SE 4.0"), std::string::npos) << why;
  // Beating it by more than one SE wins.
  rows[2].mape_se = 2;
  EXPECT_EQ(choose_formulation(rows, why), 2u);
  // The simplest is chosen whenever it is within reach.
  rows[0].metrics.mape_pct = 21;
  EXPECT_EQ(choose_formulation(rows, why), 0u);
}

TEST(PredictorChoice, SpearmanRanksWithTies) {
  EXPECT_DOUBLE_EQ(spearman_correlation({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(spearman_correlation({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  EXPECT_NEAR(spearman_correlation({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}), 0.8207826816681233, 1e-12);  // ties averaged
  EXPECT_EQ(spearman_correlation({1, 1, 1}, {1, 2, 3}), 0.0);  // undefined: constant input
  auto m = compute_metrics({1, 2, 3, 4}, {1.1, 2.5, 2.4, 5});
  EXPECT_NEAR(m.spearman, 0.8, 1e-12);
}

TEST(PredictorChoice, TrainingReportsChoiceSpearmanAndFamilyHeldOutIntervals) {
  auto rows = rows_of_a_board(49, 5);
  std::vector<const catalog::ModelRow*> ptrs;
  for (auto& r : rows) ptrs.push_back(&r);
  const TrainingData data = TrainingData::from_rows("board", ptrs);
  const EnergyModel m = train_energy_model(data.subset(PredictorKind::measured), PredictorKind::measured, light());
  const CvReport& r = m.report();
  EXPECT_EQ(r.interval.split, "family");
  EXPECT_NE(r.choice_rule.find("within one standard error"), std::string::npos);
  EXPECT_NE(r.choice_rule.find("architecture families held out"), std::string::npos);
  // The chosen formulation is within one SE of the best family-held-out MAPE and no simpler one is.
  double best = 1e9, best_se = 0;
  for (const auto& f : r.family)
    if (f.metrics.mape_pct < best) best = f.metrics.mape_pct, best_se = f.mape_se;
  bool seen_chosen = false;
  for (const auto& f : r.family) {
    if (f.formulation == r.chosen) {
      seen_chosen = true;
      EXPECT_LE(f.metrics.mape_pct, best + best_se);
    } else if (!seen_chosen) {
      EXPECT_GT(f.metrics.mape_pct, best + best_se) << f.formulation << " is simpler and within reach";
    }
  }
  EXPECT_GT(r.chosen_family_row().metrics.spearman, 0.9);  // ranks are what a recommender needs
  EXPECT_GT(r.interval.heldout_coverage, 0.75);
  EXPECT_FALSE(m.ranking_only());  // a physics-shaped problem: tight intervals

  // Saved and loaded, the report keeps all of it.
  const auto j = r.to_json();
  const CvReport back = CvReport::from_json(j);
  EXPECT_EQ(back.choice_rule, r.choice_rule);
  EXPECT_EQ(back.interval.split, "family");
  EXPECT_DOUBLE_EQ(back.family[0].mape_se, r.family[0].mape_se);
  EXPECT_DOUBLE_EQ(back.kfold[0].metrics.spearman, r.kfold[0].metrics.spearman);
}

TEST(PredictorChoice, WideIntervalsSayRankingOnlyAndDurationGoesToThePerRunModel) {
  auto rows = rows_of_a_board(42, 9);
  // An energy-per-run row: its latency column holds the run's duration (flagged), usable by the per-run model only.
  catalog::ModelRow run_row = rows[0];
  run_row.model = "resnet_run_duration";
  run_row.latency_avg_s = *run_row.latency_avg_s * 500;
  catalog::Catalog c;
  for (auto& r : rows) c.add(r);
  c.add(run_row);
  ASSERT_TRUE(c.find("resnet_run_duration")->energy_per_run_only());
  PredictorSet set = PredictorSet::train_or_load(c, "", light(), {});
  const auto& d = set.device("board");
  ASSERT_TRUE(d.measured && d.static_model && d.per_run);
  EXPECT_EQ(d.per_run->rows_used(), 43u);  // the energy-per-run row trains the power model
  EXPECT_EQ(d.measured->rows_used(), 42u);

  Inputs in;
  in.params_m = rows[5].params_m;
  in.gflops = rows[5].gflops;
  in.gmacs = rows[5].gmacs;
  in.size_mb = rows[5].size_mb;
  // Static features only: the static predictor, whose interval on these rows is wide.
  Prediction s = set.predict("board", in);
  EXPECT_EQ(s.predictor, "static");
  EXPECT_EQ(s.ranking_only, s.interval_factor > 2.0);
  if (s.ranking_only) EXPECT_NE(std::string(s.ranking_note).find("ranking"), std::string::npos);
  EXPECT_EQ(s.to_json()["ranking_only"], s.ranking_only);
  // A run's duration on a latency device: the per-run model, energy of that run.
  in.duration_avg_s = *rows[5].latency_avg_s * 500;
  Prediction pr = set.predict("board", in);
  EXPECT_EQ(pr.predictor, "per_run");
  EXPECT_NEAR(pr.prediction_mwh, *rows[5].energy_avg_mwh, 0.25 * *rows[5].energy_avg_mwh);
  EXPECT_FALSE(pr.energy_per_inference_mj.has_value());
  // Latency wins when given: the measured model.
  in.latency_avg_s = rows[5].latency_avg_s;
  EXPECT_EQ(set.predict("board", in).predictor, "measured");
  auto desc = set.describe()["board"];
  EXPECT_TRUE(desc["per_run"]["cv_spearman"].is_number());
  EXPECT_TRUE(desc["static"]["ranking_only"].is_boolean());
  EXPECT_EQ(desc["measured"]["interval"]["split"], "family");
}
