#include "predictor/cross_validation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

namespace edgeml::predictor {

std::string_view split_name(Split s) { return s == Split::kfold ? "kfold" : "family"; }

nlohmann::json CvSettings::to_json() const {
  return {{"folds", folds}, {"repeats", repeats}, {"seed", seed}, {"coverage", coverage}};
}

std::vector<int> kfold_assignment(size_t n, int k, std::uint64_t seed) {
  if (k < 2) throw std::invalid_argument("cross-validation needs at least 2 folds");
  k = static_cast<int>(std::min<size_t>(static_cast<size_t>(k), n));
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<int> fold(n);
  for (size_t i = 0; i < n; ++i) fold[order[i]] = static_cast<int>(i % static_cast<size_t>(k));
  return fold;
}

std::vector<int> group_assignment(const std::vector<std::string>& groups, int k, std::uint64_t seed) {
  if (k < 2) throw std::invalid_argument("cross-validation needs at least 2 folds");
  std::map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < groups.size(); ++i) members[groups[i]].push_back(i);
  std::vector<const std::vector<size_t>*> order;
  for (const auto& [g, rows] : members) order.push_back(&rows);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  k = static_cast<int>(std::min<size_t>(static_cast<size_t>(k), order.size()));
  std::vector<size_t> load(static_cast<size_t>(k), 0);
  std::vector<int> fold(groups.size());
  for (const auto* rows : order) {
    const auto f = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    for (size_t i : *rows) fold[i] = static_cast<int>(f);
    load[f] += rows->size();
  }
  return fold;
}

double predict_energy_mwh(const Formulation& f, const FittedModel& m, const double* features, double run_s) {
  const double e = to_energy_mwh(f.target, m.predict(features), run_s);
  return std::max(e, 1e-6);  // a raw-mWh model can dip below zero; energy cannot
}

FittedModel fit_rows(const TrainingData& data, PredictorKind kind, const std::vector<double>& x, const Formulation& f,
                     const std::vector<size_t>& rows, const LearnerSettings& learner) {
  const size_t dims = data.feature_count(kind);
  std::vector<double> xs, ys;
  xs.reserve(rows.size() * dims);
  ys.reserve(rows.size());
  for (size_t i : rows) {
    xs.insert(xs.end(), x.begin() + static_cast<long>(i * dims), x.begin() + static_cast<long>((i + 1) * dims));
    ys.push_back(to_target(f.target, data.rows[i].energy_mwh, data.rows[i].run_s));
  }
  return FittedModel::fit(f, xs, rows.size(), dims, ys, learner, formulation_columns(f, kind, data.time_input));
}

CvResult cross_validate(const TrainingData& data, PredictorKind kind, const Formulation& f, Split split,
                        const CvSettings& cv, const LearnerSettings& learner) {
  const size_t n = data.rows.size();
  if (n < 4) throw std::runtime_error("cross-validation needs at least 4 rows, device has " + std::to_string(n));
  const size_t dims = data.feature_count(kind);
  const std::vector<double> x = data.feature_matrix(kind);
  std::vector<double> actual(n);
  std::vector<std::string> families(n);
  for (size_t i = 0; i < n; ++i) {
    actual[i] = data.rows[i].energy_mwh;
    families[i] = data.rows[i].family;
  }

  CvResult result;
  result.formulation = std::string(f.name);
  std::vector<Metrics> per_repeat;
  double se_sum = 0;
  for (int rep = 0; rep < cv.repeats; ++rep) {
    const std::uint64_t seed = cv.seed + 7919ULL * static_cast<std::uint64_t>(rep);
    std::vector<int> fold =
        split == Split::kfold ? kfold_assignment(n, cv.folds, seed) : group_assignment(families, cv.folds, seed);
    const int k = *std::max_element(fold.begin(), fold.end()) + 1;
    std::vector<double> oof(n, 0.0);
    LearnerSettings ls = learner;
    ls.seed = seed;
    for (int held = 0; held < k; ++held) {
      std::vector<size_t> train;
      for (size_t i = 0; i < n; ++i)
        if (fold[i] != held) train.push_back(i);
      FittedModel m = fit_rows(data, kind, x, f, train, ls);
      for (size_t i = 0; i < n; ++i)
        if (fold[i] == held) oof[i] = predict_energy_mwh(f, m, &x[i * dims], data.rows[i].run_s);
    }
    // Per-fold MAPE, for the standard error that the one-standard-error rule compares against.
    std::vector<double> fold_mape(static_cast<size_t>(k), 0.0);
    std::vector<size_t> fold_n(static_cast<size_t>(k), 0);
    for (size_t i = 0; i < n; ++i) {
      fold_mape[static_cast<size_t>(fold[i])] += std::fabs(oof[i] - actual[i]) / actual[i] * 100.0;
      ++fold_n[static_cast<size_t>(fold[i])];
    }
    double fm = 0, fss = 0;
    for (int f = 0; f < k; ++f) fm += (fold_mape[f] /= static_cast<double>(fold_n[f]));
    fm /= k;
    for (int f = 0; f < k; ++f) fss += (fold_mape[f] - fm) * (fold_mape[f] - fm);
    se_sum += k > 1 ? std::sqrt(fss / (k - 1)) / std::sqrt(static_cast<double>(k)) : 0;
    per_repeat.push_back(compute_metrics(actual, oof));
    result.oof.push_back(std::move(oof));
    result.folds.push_back(std::move(fold));
  }
  result.metrics = mean_metrics(per_repeat);
  double var = 0;
  for (const auto& m : per_repeat)
    var += (m.mape_pct - result.metrics.mape_pct) * (m.mape_pct - result.metrics.mape_pct);
  result.mape_se = se_sum / static_cast<double>(per_repeat.size());
  result.mape_sd = per_repeat.size() > 1 ? std::sqrt(var / (per_repeat.size() - 1)) : 0;
  return result;
}

}  // namespace edgeml::predictor
