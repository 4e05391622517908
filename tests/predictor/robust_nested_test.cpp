// The robust power law (Huber regression, formulation columns) and nested cross-validation of the whole choice.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <numeric>
#include <set>

#include "catalog/catalog.hpp"
#include "predictor/nested_cv.hpp"
#include "predictor/predictor_set.hpp"
#include "predictor/robust.hpp"
#include "predictor/trainer.hpp"

using namespace edgeml::predictor;

namespace {

// y = 1 + 0.5 x on x = 0..29, and one row 10 units off the line (a run taken in another device state).
struct Line {
  std::vector<double> x, y;
  Line() {
    for (int i = 0; i < 30; ++i) {
      x.push_back(i);
      y.push_back(1 + 0.5 * i);
    }
    y[29] -= 10;
  }
};

}  // namespace

TEST(PredictorRobust, HuberKeepsTheLineWhereLeastSquaresIsDragged) {
  Line l;
  RidgeRegression ls;
  ls.fit(l.x, 30, 1, l.y, 0.0);
  const RidgeRegression huber = fit_huber(l.x, 30, 1, l.y, 0.0);
  EXPECT_LT(ls.coefficients()[0], 0.45);  // least squares tilts towards the outlier
  EXPECT_NEAR(huber.coefficients()[0], 0.5, 0.01);
  EXPECT_NEAR(huber.intercept(), 1.0, 0.1);
  const double x0 = 10;
  EXPECT_NEAR(huber.predict(&x0), 6.0, 0.05);
}

TEST(PredictorRobust, ZeroWeightDropsARow) {
  Line l;
  std::vector<double> w(30, 1.0);
  w[29] = 0;
  RidgeRegression weighted;
  weighted.fit(l.x, 30, 1, l.y, 0.0, w);
  EXPECT_NEAR(weighted.coefficients()[0], 0.5, 1e-9);
  EXPECT_NEAR(weighted.intercept(), 1.0, 1e-9);
  w[3] = -1;
  EXPECT_THROW(weighted.fit(l.x, 30, 1, l.y, 0.0, w), std::invalid_argument);
  EXPECT_THROW(weighted.fit(l.x, 30, 1, l.y, 0.0, std::vector<double>(29, 1.0)), std::invalid_argument);
}

TEST(PredictorRobust, ThroughputFormulationAppliesOnlyWhereLatencyIsKnown) {
  auto names = [](PredictorKind k, TimeInput t) {
    std::set<std::string> out;
    for (const auto& f : formulations_for(k, t)) out.insert(std::string(f.name));
    return out;
  };
  EXPECT_TRUE(names(PredictorKind::measured, TimeInput::latency).count("power_time_throughput"));
  EXPECT_FALSE(names(PredictorKind::measured, TimeInput::duration).count("power_time_throughput"));  // N unknown
  EXPECT_FALSE(names(PredictorKind::per_run, TimeInput::latency).count("power_time_throughput"));
  EXPECT_FALSE(names(PredictorKind::static_only, TimeInput::latency).count("power_time_throughput"));
  const Formulation& f = formulation_by_name("power_time_throughput");
  EXPECT_EQ(formulation_columns(f, PredictorKind::measured, TimeInput::latency), (std::vector<size_t>{8, 4}));
  EXPECT_THROW(formulation_columns(f, PredictorKind::measured, TimeInput::duration), std::runtime_error);
  EXPECT_TRUE(formulation_columns(formulation_by_name("power_time_ridge"), PredictorKind::measured,
                                  TimeInput::latency)
                  .empty());  // all columns
}

TEST(PredictorRobust, ThroughputModelReadsOnlyItsColumnsAndSurvivesSaveLoad) {
  // Power = 2 W x (GMAC/s)^0.25 exactly, on 20 rows with unrelated other features.
  const Formulation& f = formulation_by_name("power_time_throughput");
  const auto cols = formulation_columns(f, PredictorKind::measured, TimeInput::latency);
  const size_t d = feature_names(PredictorKind::measured, TimeInput::latency).size();
  std::vector<double> x, y;
  for (int i = 0; i < 20; ++i) {
    Inputs in;
    in.params_m = 1 + (i * 7) % 13;
    in.gmacs = 0.1 + 0.3 * i;
    in.gflops = 2 * *in.gmacs;
    in.size_mb = 4 * *in.params_m;
    in.latency_avg_s = 0.02 + 0.01 * ((i * 5) % 11);
    FeatureVector v;
    make_features(in, PredictorKind::measured, TimeInput::latency, v);
    x.insert(x.end(), v.begin(), v.begin() + static_cast<long>(d));
    y.push_back(std::log(2.0) + 0.25 * std::log(*in.gmacs / *in.latency_avg_s));
  }
  LearnerSettings s;
  s.ridge_lambda = 0;
  const FittedModel m = FittedModel::fit(f, x, 20, d, y, s, cols);
  std::vector<double> row(x.begin() + static_cast<long>(3 * d), x.begin() + static_cast<long>(4 * d));
  EXPECT_NEAR(m.predict(row.data()), y[3], 1e-9);
  row[0] *= 50;  // params_m: not a column of this formulation
  row[3] *= 50;  // size_mb
  EXPECT_NEAR(m.predict(row.data()), y[3], 1e-9);
  const FittedModel back = FittedModel::load(f, m.save(), d, cols);
  EXPECT_NEAR(back.predict(row.data()), y[3], 1e-12);
  EXPECT_THROW(FittedModel::load(f, m.save(), d, {0, 1, 2}), std::runtime_error);  // 2 coefficients, 3 columns
}

namespace {

TrainingData jetson_rows() {
  edgeml::catalog::Catalog c;
  c.load(edgeml::catalog::DataSource::parse(
      (std::filesystem::path(EDGEML_SHARED_DATA) / "124_models_benchmark_jetson.csv").string()));
  return TrainingData::from_catalog(c, "jetson_nano").subset(PredictorKind::measured);
}

std::vector<Formulation> cheap_candidates() {
  return {formulation_by_name("power_time_median"), formulation_by_name("power_time_throughput"),
          formulation_by_name("power_time_ridge")};
}

}  // namespace

TEST(PredictorNestedCv, HeldOutFamilyTakesNoPartInItsPrediction) {
  TrainingData data = jetson_rows();
  ASSERT_EQ(data.rows.size(), 51u);
  CvSettings cv;
  cv.repeats = 1;
  const LearnerSettings ls;
  const auto before = nested_cross_validate(data, PredictorKind::measured, cheap_candidates(), Split::family, cv, ls);
  // Triple the energy of every resnet row: when the resnet family is held out, nothing that predicts it -- fits,
  // the formulation choice, the interval -- saw those values, so its predictions must not move by a bit.
  size_t changed = 0;
  for (auto& r : data.rows)
    if (r.family == "resnet") {
      r.energy_mwh *= 3;
      ++changed;
    }
  ASSERT_GE(changed, 3u);
  const auto after = nested_cross_validate(data, PredictorKind::measured, cheap_candidates(), Split::family, cv, ls);
  ASSERT_EQ(before.oof.size(), 1u);
  size_t others_moved = 0;
  for (size_t i = 0; i < data.rows.size(); ++i) {
    if (data.rows[i].family == "resnet")
      EXPECT_EQ(before.oof[0][i], after.oof[0][i]) << data.rows[i].model;
    else
      others_moved += before.oof[0][i] != after.oof[0][i];
  }
  EXPECT_GT(others_moved, 0u);  // the tripled rows did train the models that predict other families
  // And the figures are the procedure's own: every outer fold chose one of the candidates.
  int folds = 0;
  for (const auto& [name, count] : before.chosen) folds += count;
  EXPECT_EQ(folds, cv.folds);
  EXPECT_GT(before.metrics.mape_pct, 5.0);  // real rows with campaign outliers: not a fit to itself
  EXPECT_GT(before.interval_coverage, 0.7);
  EXPECT_LE(before.interval_coverage, 1.0);
}

TEST(PredictorNestedCv, TrainerRecordsNestedFiguresWhenAsked) {
  const TrainingData data = jetson_rows();
  TrainSettings s;
  s.cv.repeats = 1;
  s.formulations = {"power_time_median", "power_time_throughput"};
  const EnergyModel plain = train_energy_model(data, PredictorKind::measured, s);
  EXPECT_TRUE(plain.report().nested.empty());
  ASSERT_TRUE(plain.report().kfold_interval.has_value());
  s.nested = true;
  ServedModel served;
  served.model = std::make_shared<const EnergyModel>(train_energy_model(data, PredictorKind::measured, s));
  const EnergyModel& nested = *served.model;
  ASSERT_EQ(nested.report().nested.size(), 2u);
  EXPECT_EQ(nested.report().nested[0].split, "kfold");
  EXPECT_EQ(nested.report().nested[1].split, "family");
  const CvReport back = CvReport::from_json(nested.report().to_json());
  ASSERT_EQ(back.nested.size(), 2u);
  EXPECT_DOUBLE_EQ(back.nested[1].metrics.mape_pct, nested.report().nested[1].metrics.mape_pct);
  EXPECT_EQ(back.nested[1].chosen, nested.report().nested[1].chosen);
  // GET /api/predictors shows them (describe of the served model).
  const auto j = served.describe();
  ASSERT_EQ(j["nested_cv"].size(), 2u);
  EXPECT_EQ(j["nested_cv"][1]["split"], "family");
  EXPECT_TRUE(j["kfold_interval_coverage"].is_number());
}
