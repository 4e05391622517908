#pragma once
// A formulation = what is learned (the target) x how (the learner). Energy of a run is average power x run time, so
// "power x time" learns log power and multiplies back by the known run time; the others learn energy directly.
//   ridge_log_energy   ridge on log features -> log mWh
//   rf_log_energy      XGBoost random forest (one round of parallel trees) -> log mWh
//   gbm_raw_energy     gradient boosting -> mWh
//   gbm_log_energy     gradient boosting -> log mWh
//   power_time_ridge   ridge on log features -> log W;  mWh = W x run_s / 3.6
//   power_time_gbm     gradient boosting -> log W;       mWh = W x run_s / 3.6
//   power_time_median  the training rows' median power;  mWh = W x run_s / 3.6 (the physics baseline)
//   power_time_throughput  Huber regression of log W on log achieved GMAC/s and log latency (3 parameters); mWh =
//                      W x run_s / 3.6. Physics: the board's power rises with how busy the model keeps it; the robust
//                      loss keeps rows measured in another device state from dragging the fit (robust.hpp)
// all_formulations() lists them simplest first: model choice prefers the simpler one unless another beats it by more
// than one standard error of the cross-validation.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "predictor/features.hpp"
#include "predictor/ridge.hpp"
#include "predictor/xgb_booster.hpp"

namespace edgeml::predictor {

enum class Learner { median, ridge, huber, random_forest, gradient_boosting };
enum class Target { energy_mwh, log_energy, log_power };

struct Formulation {
  std::string_view name;
  Learner learner;
  Target target;
  int simplicity = 0;  // 0 = simplest; the order of all_formulations()
  // Feature columns it reads, by name (features.hpp); empty: all of the predictor kind's features.
  std::vector<std::string_view> columns = {};
  bool needs_run_time() const { return target == Target::log_power; }
  bool log_features() const { return learner == Learner::ridge || learner == Learner::huber; }
};

const std::vector<Formulation>& all_formulations();
const Formulation& formulation_by_name(std::string_view name);  // throws std::runtime_error when unknown
// The formulations that apply to a predictor kind on a device with this time input (power x time needs a run time:
// measured and per-run; the per-run predictor is a power model, so only power x time applies to it; a formulation
// reading named columns applies only where the kind has them).
std::vector<Formulation> formulations_for(PredictorKind kind, TimeInput time);
// Indices of the formulation's columns in the kind's feature vector (all of them when it names none). Throws
// std::runtime_error naming the column the kind does not have.
std::vector<size_t> formulation_columns(const Formulation& f, PredictorKind kind, TimeInput time);

// Target value for a row, and energy (mWh) back from a predicted target value. run_s is the run time in seconds
// (only read for log_power).
double to_target(Target t, double energy_mwh, double run_s);
double to_energy_mwh(Target t, double value, double run_s);

struct LearnerSettings {
  double ridge_lambda = 1.0;
  int gbm_rounds = 150;
  double gbm_eta = 0.1;
  int gbm_max_depth = 3;
  int rf_trees = 200;
  int rf_max_depth = 6;
  std::uint64_t seed = 42;
  nlohmann::json to_json() const;
};

// A fitted learner: ridge or Huber (on log features) or an XGBoost booster (on raw features), reading the given
// columns of the feature vector (empty: all d). predict() returns the target value (mWh, log mWh or log W) for one
// raw feature vector of d values.
class FittedModel {
 public:
  static FittedModel fit(const Formulation& f, const std::vector<double>& x, size_t n, size_t d,
                         const std::vector<double>& target, const LearnerSettings& s, std::vector<size_t> columns = {});
  double predict(const double* features) const;  // no allocation
  size_t dims() const { return dims_; }

  // Serialized model: ridge coefficients as JSON text, or XGBoost UBJSON bytes.
  bool is_ridge() const { return std::holds_alternative<RidgeRegression>(model_); }
  bool is_constant() const { return std::holds_alternative<double>(model_); }
  std::string save() const;
  static FittedModel load(const Formulation& f, const std::string& bytes, size_t dims,
                          std::vector<size_t> columns = {});

 private:
  std::variant<RidgeRegression, XgbBooster, double> model_;  // double: a constant (median) target value
  size_t dims_ = 0;
  std::vector<size_t> columns_;  // the columns the learner reads, in order
};

}  // namespace edgeml::predictor
