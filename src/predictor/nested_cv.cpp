#include "predictor/nested_cv.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "predictor/trainer.hpp"

namespace edgeml::predictor {

nlohmann::json NestedCvResult::to_json() const {
  auto j = predictor::to_json(metrics);
  j["split"] = split;
  j["mape_se_pct"] = mape_se;
  j["coverage_target"] = coverage_target;
  j["interval_coverage"] = interval_coverage;
  j["mean_interval_factor"] = mean_interval_factor;
  j["chosen"] = chosen;
  return j;
}

NestedCvResult NestedCvResult::from_json(const nlohmann::json& j) {
  NestedCvResult r;
  r.metrics = metrics_from_json(j);
  r.split = j.at("split").get<std::string>();
  r.mape_se = j.at("mape_se_pct").get<double>();
  r.coverage_target = j.at("coverage_target").get<double>();
  r.interval_coverage = j.at("interval_coverage").get<double>();
  r.mean_interval_factor = j.at("mean_interval_factor").get<double>();
  r.chosen = j.at("chosen").get<std::map<std::string, int>>();
  return r;
}

FamilyChoice choose_on_family_folds(const TrainingData& data, PredictorKind kind,
                                    const std::vector<Formulation>& candidates, const CvSettings& cv,
                                    const LearnerSettings& learner,
                                    const std::function<void(const Formulation&)>& before_each) {
  if (candidates.empty()) throw std::logic_error("choose_on_family_folds: no candidates");
  FamilyChoice c;
  std::vector<CvRow> rows;
  for (const auto& f : candidates) {
    if (before_each) before_each(f);
    CvResult r = cross_validate(data, kind, f, Split::family, cv, learner);
    rows.push_back({r.formulation, r.metrics, r.mape_sd, r.mape_se});
    c.family.push_back(std::move(r));
  }
  c.chosen = choose_formulation(rows, c.why);
  std::vector<double> actual;
  for (const auto& r : data.rows) actual.push_back(r.energy_mwh);
  const CvResult& best = c.family[c.chosen];
  c.interval = calibrate_intervals(actual, best.oof, best.folds, cv.coverage);
  c.interval.split = "family";
  return c;
}

namespace {

TrainingData rows_of(const TrainingData& data, const std::vector<size_t>& rows) {
  TrainingData out = data;
  out.rows.clear();
  for (size_t i : rows) out.rows.push_back(data.rows[i]);
  return out;
}

}  // namespace

NestedCvResult nested_cross_validate(const TrainingData& data, PredictorKind kind,
                                     const std::vector<Formulation>& candidates, Split outer, const CvSettings& cv,
                                     const LearnerSettings& learner) {
  const size_t n = data.rows.size();
  if (n < 8) throw std::runtime_error("nested cross-validation needs at least 8 rows, device has " + std::to_string(n));
  const size_t dims = data.feature_count(kind);
  const std::vector<double> x = data.feature_matrix(kind);
  std::vector<double> actual(n);
  std::vector<std::string> families(n);
  for (size_t i = 0; i < n; ++i) {
    actual[i] = data.rows[i].energy_mwh;
    families[i] = data.rows[i].family;
  }

  NestedCvResult result;
  result.split = std::string(split_name(outer));
  result.coverage_target = cv.coverage;
  std::vector<Metrics> per_repeat;
  double se_sum = 0, factor_sum = 0;
  size_t covered = 0, tested = 0, fits = 0;
  for (int rep = 0; rep < cv.repeats; ++rep) {
    // Outer folds seeded apart from the inner ones (cross_validate seeds those from cv.seed).
    const std::uint64_t seed = cv.seed + 104729ULL + 7919ULL * static_cast<std::uint64_t>(rep);
    const std::vector<int> fold =
        outer == Split::kfold ? kfold_assignment(n, cv.folds, seed) : group_assignment(families, cv.folds, seed);
    const int k = *std::max_element(fold.begin(), fold.end()) + 1;
    if (k < 2) throw std::runtime_error("nested cross-validation needs at least 2 outer folds");
    std::vector<double> oof(n, 0.0);
    std::vector<double> fold_mape(static_cast<size_t>(k), 0.0);
    std::vector<size_t> fold_n(static_cast<size_t>(k), 0);
    for (int held = 0; held < k; ++held) {
      std::vector<size_t> train, test;
      for (size_t i = 0; i < n; ++i) (fold[i] == held ? test : train).push_back(i);
      // The whole procedure, on the outer-training rows only.
      const TrainingData inner = rows_of(data, train);
      CvSettings inner_cv = cv;
      inner_cv.seed = seed + 1;
      const FamilyChoice choice = choose_on_family_folds(inner, kind, candidates, inner_cv, learner);
      const Formulation& f = candidates[choice.chosen];
      ++result.chosen[std::string(f.name)];
      std::vector<size_t> all_inner(train.size());
      for (size_t i = 0; i < train.size(); ++i) all_inner[i] = i;
      const FittedModel m = fit_rows(inner, kind, inner.feature_matrix(kind), f, all_inner, learner);
      ++fits;
      const double q = choice.interval.log_half_width;
      factor_sum += std::exp(q);
      for (size_t i : test) {
        oof[i] = predict_energy_mwh(f, m, &x[i * dims], data.rows[i].run_s);
        covered += log_residual(actual[i], oof[i]) <= q;
        ++tested;
        fold_mape[static_cast<size_t>(held)] += std::fabs(oof[i] - actual[i]) / actual[i] * 100.0;
        ++fold_n[static_cast<size_t>(held)];
      }
    }
    double fm = 0, fss = 0;
    for (int f = 0; f < k; ++f) fm += (fold_mape[f] /= static_cast<double>(fold_n[f]));
    fm /= k;
    for (int f = 0; f < k; ++f) fss += (fold_mape[f] - fm) * (fold_mape[f] - fm);
    se_sum += std::sqrt(fss / (k - 1)) / std::sqrt(static_cast<double>(k));
    per_repeat.push_back(compute_metrics(actual, oof));
    result.oof.push_back(std::move(oof));
  }
  result.metrics = mean_metrics(per_repeat);
  result.mape_se = se_sum / static_cast<double>(per_repeat.size());
  result.interval_coverage = tested ? static_cast<double>(covered) / static_cast<double>(tested) : 0;
  result.mean_interval_factor = fits ? factor_sum / static_cast<double>(fits) : 1;
  return result;
}

}  // namespace edgeml::predictor
