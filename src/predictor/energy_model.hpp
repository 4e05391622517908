#pragma once
// One trained predictor (a device x a predictor kind): the chosen formulation's final model, fitted on all training
// rows, with its cross-validation report and interval calibration. Saved as two files in a folder:
//   <device>.<kind>.model  the model (XGBoost UBJSON bytes, or ridge coefficients as JSON)
//   <device>.<kind>.json   metadata: device, features, formulation, target meaning, N, CV tables, intervals,
//                          fingerprint of the training rows, sha256 of the model file
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "predictor/conformal.hpp"
#include "predictor/cross_validation.hpp"
#include "predictor/formulation.hpp"
#include "predictor/metrics.hpp"
#include "predictor/nested_cv.hpp"
#include "predictor/training_data.hpp"

namespace edgeml::predictor {

struct CvRow {
  std::string formulation;
  Metrics metrics;
  double mape_sd = 0;  // across repeats
  double mape_se = 0;  // standard error across folds (the one-standard-error rule)
};

// An interval wider than x/÷ this factor still orders models but is no use for a budget: the answer says so.
inline constexpr double kRankingOnlyFactor = 2.0;

struct CvReport {
  std::vector<CvRow> kfold;      // repeated k-fold
  std::vector<CvRow> family;     // whole architecture families held out
  std::string chosen;            // simplest formulation within one standard error of the lowest family-held-out MAPE
  std::string choice_rule;       // the rule in words, with the figures that decided it
  IntervalCalibration interval;  // calibrated on the chosen formulation's family-held-out folds
  std::optional<IntervalCalibration> kfold_interval;  // the same check on k-fold residuals (reported, not served)
  std::vector<NestedCvResult> nested;                 // nested CV of the whole choice, when it was run
  CvSettings settings;
  nlohmann::json to_json() const;
  static CvReport from_json(const nlohmann::json& j);
  const CvRow& chosen_row() const;         // k-fold row of the chosen formulation
  const CvRow& chosen_family_row() const;  // family-held-out row of the chosen formulation
};

struct EnergyEstimate {
  double mwh = 0, lo = 0, hi = 0;
  double run_s = 0;  // run time the estimate used (0 for the static predictor)
};

class EnergyModel {
 public:
  EnergyModel(const TrainingData& data, PredictorKind kind, const Formulation& f, FittedModel model, CvReport report,
              LearnerSettings learner, double trained_at_s = 0);

  // Validates the inputs (FieldError naming the field) and predicts the energy of one measured run with its interval.
  EnergyEstimate predict(const Inputs& in) const;

  const std::string& device_type() const { return device_type_; }
  PredictorKind kind() const { return kind_; }
  const Formulation& formulation() const { return *formulation_; }
  const std::vector<std::string>& features() const { return feature_names(kind_, time_input_); }
  TimeInput time_input() const { return time_input_; }
  int iterations_per_measurement() const { return iterations_; }
  const std::string& target_description() const { return target_; }
  const std::string& fingerprint() const { return fingerprint_; }
  size_t rows_used() const { return rows_used_; }
  const CvReport& report() const { return report_; }
  double model_r2() const { return report_.chosen_row().metrics.r2; }
  double cv_mape_pct() const { return report_.chosen_row().metrics.mape_pct; }
  double interval_factor() const;  // exp(log half width)
  bool ranking_only() const { return interval_factor() > kRankingOnlyFactor; }
  double trained_at_s() const { return trained_at_s_; }  // Unix seconds, 0 when not recorded
  // The run time a prediction uses: latency x N, the given duration, or 0 (static). FieldError when missing.
  double run_seconds(const Inputs& in) const;

  nlohmann::json metadata() const;
  void save(const std::filesystem::path& dir) const;
  // Throws std::runtime_error naming the file when missing, unreadable, of another format version, or corrupt.
  static EnergyModel load(const std::filesystem::path& dir, const std::string& device_type, PredictorKind kind);
  static std::filesystem::path metadata_path(const std::filesystem::path& dir, const std::string& device_type,
                                             PredictorKind kind);
  // The fingerprint recorded in a saved model's metadata, or "" when there is none / it is unreadable.
  static std::string saved_fingerprint(const std::filesystem::path& dir, const std::string& device_type,
                                       PredictorKind kind);

 private:
  EnergyModel() = default;
  std::string device_type_;
  PredictorKind kind_ = PredictorKind::static_only;
  const Formulation* formulation_ = nullptr;
  FittedModel model_;
  CvReport report_;
  LearnerSettings learner_;
  TimeInput time_input_ = TimeInput::none;
  int iterations_ = 0;
  std::string target_, fingerprint_;
  size_t rows_used_ = 0;
  double trained_at_s_ = 0;
  nlohmann::json data_summary_;
};

}  // namespace edgeml::predictor
