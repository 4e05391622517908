#pragma once
// The predictors the controller serves, per device type:
//   measured -- static features + the device's run-time input (latency per inference, or a run's duration);
//   static   -- static features only, for a model never run;
//   per_run  -- a power model on static features x a given run duration (duration_avg_s), for any device type.
// predict() picks measured when the device's run-time input is given, per_run when only duration_avg_s is, else
// static, and says which, how it was trained, whether it was calibrated or borrowed, and whether its interval is
// good for more than ranking.
//
// Fresh rows (fleet or API rows: the device as it runs now) recalibrate a device type's predictors (>= 5 rows) or,
// when there are enough of them, replace the older file rows for training. A device type with too few rows of its
// own borrows the per-run power model of the device type with the most rows, calibrated on its own rows.
// build() is a pure function of a catalog snapshot: the controller runs it on a background thread when rows arrive
// and swaps the resulting set in atomically (e.g. std::atomic<std::shared_ptr<const PredictorSet>>).
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "predictor/calibration.hpp"
#include "predictor/energy_model.hpp"
#include "predictor/trainer.hpp"

namespace edgeml::predictor {

// One answer. String views point into the PredictorSet, which must outlive the Prediction.
struct Prediction {
  double prediction_mwh = 0;
  double interval_lo_mwh = 0, interval_hi_mwh = 0;
  double interval_factor = 1;    // hi / prediction = prediction / lo
  bool ranking_only = false;     // interval_factor > kRankingOnlyFactor: orders models, does not budget them
  double coverage = 0;           // stated coverage of the interval (e.g. 0.9)
  double coverage_measured = 0;  // coverage measured on held-out folds (family-held-out)
  std::string_view predictor;    // "measured" | "static" | "per_run"
  std::string_view device_type;
  std::string_view formulation;
  std::string_view borrowed_from;  // device type whose model answered, when not this one
  bool calibrated = false;         // a calibration on fresh rows of this device was applied
  size_t calibration_rows = 0;
  const std::vector<std::string>* features_used = nullptr;
  double model_r2 = 0, cv_mape_pct = 0;  // k-fold CV of the chosen formulation
  double cv_spearman = 0;                // rank correlation, family-held-out CV
  std::optional<double> energy_per_inference_mj;
  std::optional<int> iterations_per_measurement;
  std::string_view unit = "mWh";
  std::string_view target;              // what the number means (energy of one measured run of N inferences, ...)
  std::string_view time_note;           // why a given time input was not used, when it was not
  std::string_view per_inference_note;  // why energy per inference is unavailable, when it is
  std::string_view model_note;          // how the answering model was trained / calibrated / borrowed
  std::string_view ranking_note;        // set when ranking_only

  nlohmann::json to_json() const;  // the API's field names (prediction_mwh, confidence_interval, ...)
};

// One predictor as served: a trained model (this device type's or another's), perhaps calibrated to this device.
struct ServedModel {
  std::shared_ptr<const EnergyModel> model;
  std::optional<Calibration> calibration;
  std::string borrowed_from;  // "" when trained on this device type's rows
  std::string trained_on;     // "51 file rows", "22 fleet/api rows (...)", "jetson_nano's 51 rows"
  std::string note;           // trained_on + calibration/borrowing, in words (precomputed: predict() allocates not)
  std::string ranking_note;   // why the interval is good for ranking only, when it is

  explicit operator bool() const { return model != nullptr; }
  const EnergyModel& operator*() const { return *model; }
  const EnergyModel* operator->() const { return model.get(); }
  double interval_factor() const;  // the model's, widened by the calibration's leave-one-out residuals
  bool ranking_only() const { return interval_factor() > kRankingOnlyFactor; }
  EnergyEstimate predict(const Inputs& in) const;  // calibrated when there is a calibration
  nlohmann::json describe() const;
};

struct DevicePredictors {
  std::string device_type;
  ServedModel measured, static_model, per_run;
  std::string measured_unavailable, static_unavailable, per_run_unavailable;  // why not ("" when there is one)
  std::string calibration_note;  // fresh rows seen and what was done with them
  size_t fresh_rows = 0;         // clean fleet/API rows of this device type
  // Set when a borrowed per-run model, calibrated on this device's fresh rows, predicted those rows better (leave one
  // out) than this device's own calibrated model: duration_avg_s inputs then go to per_run.
  bool per_run_preferred = false;
  // Notes precomputed so predict() does not allocate.
  std::string time_note;
  std::string per_inference_note;
};

struct BuildPolicy {
  TrainSettings train;
  std::filesystem::path dir;  // saved models are reused from / written to here; "" = neither
  size_t min_calibration_rows = kMinCalibrationRows;
  size_t min_retrain_rows = 20;  // fresh rows from which a device type is trained on its fresh rows alone
};

class PredictorSet {
 public:
  // Every device type of the snapshot (see the header comment). Models whose training rows have not changed are taken
  // from `previous` (no retraining) or from policy.dir (fingerprint match); others are trained, with progress.
  static PredictorSet build(const catalog::Catalog& snapshot, const BuildPolicy& policy,
                            const PredictorSet* previous = nullptr, const Progress& progress = log_progress);
  // build() with file rows only in mind: the controller's start-up path.
  static PredictorSet train_or_load(const catalog::Catalog& catalog, const std::filesystem::path& dir,
                                    const TrainSettings& settings = {}, const Progress& progress = log_progress);
  static void log_progress(const std::string& message);

  void add(DevicePredictors d);

  // FieldError for bad inputs (naming the field), NotFoundError for an unknown device or one without a predictor.
  Prediction predict(std::string_view device_type, const Inputs& in) const;

  const DevicePredictors& device(std::string_view device_type) const;  // NotFoundError when unknown
  std::vector<std::string> devices() const;
  // Per device: each predictor's formulation, rows used, when trained, CV figures (MAPE, Spearman, family-held-out),
  // choice rule, interval (and ranking_only), calibration, borrowing; reasons where a predictor is missing.
  nlohmann::json describe() const;

 private:
  std::map<std::string, DevicePredictors, std::less<>> devices_;
};

// Fills the notes of a DevicePredictors from what it holds.
void describe_limits(DevicePredictors& d);

}  // namespace edgeml::predictor
