#include "predictor/formulation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "predictor/robust.hpp"

namespace edgeml::predictor {

const std::vector<Formulation>& all_formulations() {
  // Simplest first: a constant, a two-input power law, then ridge on every feature (physics-shaped target before the
  // direct one), then trees.
  static const std::vector<Formulation> k{
      {"power_time_median", Learner::median, Target::log_power, 0},
      {"power_time_throughput", Learner::huber, Target::log_power, 1, {"gmacs_per_s", "latency_avg_s"}},
      {"power_time_ridge", Learner::ridge, Target::log_power, 2},
      {"ridge_log_energy", Learner::ridge, Target::log_energy, 3},
      {"power_time_gbm", Learner::gradient_boosting, Target::log_power, 4},
      {"gbm_log_energy", Learner::gradient_boosting, Target::log_energy, 5},
      {"gbm_raw_energy", Learner::gradient_boosting, Target::energy_mwh, 6},
      {"rf_log_energy", Learner::random_forest, Target::log_energy, 7},
  };
  return k;
}

const Formulation& formulation_by_name(std::string_view name) {
  for (const auto& f : all_formulations())
    if (f.name == name) return f;
  throw std::runtime_error("unknown formulation '" + std::string(name) + "'");
}

std::vector<size_t> formulation_columns(const Formulation& f, PredictorKind kind, TimeInput time) {
  const auto& names = feature_names(kind, time);
  std::vector<size_t> out;
  for (auto c : f.columns) {
    const auto it = std::find(names.begin(), names.end(), c);
    if (it == names.end())
      throw std::runtime_error("formulation " + std::string(f.name) + " reads " + std::string(c) + ", which the " +
                               std::string(kind_name(kind)) + " predictor on " + std::string(time_input_name(time)) +
                               " does not have");
    out.push_back(static_cast<size_t>(it - names.begin()));
  }
  return out;
}

std::vector<Formulation> formulations_for(PredictorKind kind, TimeInput time) {
  std::vector<Formulation> out;
  for (const auto& f : all_formulations()) {
    if (kind == PredictorKind::static_only && f.needs_run_time()) continue;
    if (kind == PredictorKind::per_run && !f.needs_run_time()) continue;
    if (kind == PredictorKind::measured && time == TimeInput::none) continue;
    const auto& names = feature_names(kind, time);
    const bool has_columns = std::all_of(f.columns.begin(), f.columns.end(), [&](std::string_view c) {
      return std::find(names.begin(), names.end(), c) != names.end();
    });
    if (has_columns) out.push_back(f);
  }
  return out;
}

double to_target(Target t, double energy_mwh, double run_s) {
  switch (t) {
    case Target::energy_mwh:
      return energy_mwh;
    case Target::log_energy:
      return std::log(energy_mwh);
    case Target::log_power:
      return std::log(energy_mwh * 3.6 / run_s);  // mWh x 3.6 = J; J / s = W
  }
  return 0;
}

double to_energy_mwh(Target t, double value, double run_s) {
  switch (t) {
    case Target::energy_mwh:
      return value;
    case Target::log_energy:
      return std::exp(value);
    case Target::log_power:
      return std::exp(value) * run_s / 3.6;
  }
  return 0;
}

nlohmann::json LearnerSettings::to_json() const {
  return {{"ridge_lambda", ridge_lambda},
          {"gbm_rounds", gbm_rounds},
          {"gbm_eta", gbm_eta},
          {"gbm_max_depth", gbm_max_depth},
          {"rf_trees", rf_trees},
          {"rf_max_depth", rf_max_depth},
          {"seed", seed}};
}

namespace {

XgbParams xgb_params(const Formulation& f, const LearnerSettings& s, double base_score) {
  XgbParams p;
  p.params = {{"objective", "reg:squarederror"},
              {"tree_method", "exact"},
              {"seed", std::to_string(s.seed)},
              {"base_score", std::to_string(base_score)},
              {"min_child_weight", "1"}};
  if (f.learner == Learner::random_forest) {
    // XGBoost's random-forest mode: many parallel trees in a single round, no shrinkage, row and column sampling.
    p.params["num_parallel_tree"] = std::to_string(s.rf_trees);
    p.params["eta"] = "1";
    p.params["subsample"] = "0.632";
    p.params["colsample_bynode"] = "0.7";
    p.params["max_depth"] = std::to_string(s.rf_max_depth);
    p.params["lambda"] = "0";
    p.rounds = 1;
  } else {
    p.params["eta"] = std::to_string(s.gbm_eta);
    p.params["max_depth"] = std::to_string(s.gbm_max_depth);
    p.params["subsample"] = "0.8";
    p.params["colsample_bytree"] = "0.8";
    p.rounds = s.gbm_rounds;
  }
  return p;
}

}  // namespace

FittedModel FittedModel::fit(const Formulation& f, const std::vector<double>& all_x, size_t n, size_t d,
                             const std::vector<double>& target, const LearnerSettings& s, std::vector<size_t> columns) {
  FittedModel m;
  m.dims_ = d;
  if (columns.empty())
    for (size_t j = 0; j < d; ++j) columns.push_back(j);
  for (size_t c : columns)
    if (c >= d) throw std::invalid_argument("formulation column index out of range");
  m.columns_ = columns;
  const size_t dc = columns.size();
  std::vector<double> x(n * dc);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < dc; ++j) x[i * dc + j] = all_x[i * d + columns[j]];
  if (f.learner == Learner::median) {
    std::vector<double> t = target;
    std::sort(t.begin(), t.end());
    m.model_ = t.size() % 2 ? t[t.size() / 2] : 0.5 * (t[t.size() / 2 - 1] + t[t.size() / 2]);
    return m;
  }
  if (f.log_features()) {
    std::vector<double> logx(x.size());
    for (size_t i = 0; i < x.size(); ++i) logx[i] = std::log(x[i]);  // features are validated > 0
    if (f.learner == Learner::huber) {
      m.model_ = fit_huber(logx, n, dc, target, s.ridge_lambda);
    } else {
      RidgeRegression r;
      r.fit(logx, n, dc, target, s.ridge_lambda);
      m.model_ = std::move(r);
    }
    return m;
  }
  std::vector<float> xf(x.begin(), x.end()), yf(target.begin(), target.end());
  double mean = 0;
  for (double v : target) mean += v;
  mean /= static_cast<double>(n);
  m.model_ = XgbBooster::train(xf, n, dc, yf, xgb_params(f, s, mean));
  return m;
}

double FittedModel::predict(const double* features) const {
  if (const auto* c = std::get_if<double>(&model_)) return *c;
  const size_t dc = columns_.size();
  if (const auto* r = std::get_if<RidgeRegression>(&model_)) {
    double logx[kMaxFeatures];
    for (size_t j = 0; j < dc; ++j) logx[j] = std::log(features[columns_[j]]);
    return r->predict(logx);
  }
  float xf[kMaxFeatures];
  for (size_t j = 0; j < dc; ++j) xf[j] = static_cast<float>(features[columns_[j]]);
  return std::get<XgbBooster>(model_).predict(xf);
}

std::string FittedModel::save() const {
  if (const auto* c = std::get_if<double>(&model_)) return nlohmann::json{{"constant", *c}}.dump();
  if (const auto* r = std::get_if<RidgeRegression>(&model_)) return r->to_json().dump();
  return std::get<XgbBooster>(model_).save_ubj();
}

FittedModel FittedModel::load(const Formulation& f, const std::string& bytes, size_t dims,
                              std::vector<size_t> columns) {
  FittedModel m;
  m.dims_ = dims;
  if (columns.empty())
    for (size_t j = 0; j < dims; ++j) columns.push_back(j);
  for (size_t c : columns)
    if (c >= dims) throw std::runtime_error("formulation column index out of range");
  m.columns_ = columns;
  const size_t dc = columns.size();
  if (f.learner == Learner::median) {
    m.model_ = nlohmann::json::parse(bytes).at("constant").get<double>();
  } else if (f.log_features()) {
    auto r = RidgeRegression::from_json(nlohmann::json::parse(bytes));
    if (r.dims() != dc)
      throw std::runtime_error("linear model has " + std::to_string(r.dims()) + " coefficients, expected " +
                               std::to_string(dc));
    m.model_ = std::move(r);
  } else {
    m.model_ = XgbBooster::load_ubj(bytes, dc);
  }
  return m;
}

}  // namespace edgeml::predictor
