#pragma once
// The predictors the controller serves: per device type, a "measured" predictor (static features + run time) and a
// "static" one (for a model never run). predict() uses measured when the device's run-time input is given, else
// static, and says which. train_or_load() reuses saved models whose fingerprint matches the catalog's rows.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "predictor/energy_model.hpp"
#include "predictor/trainer.hpp"

namespace edgeml::predictor {

// One answer. String views point into the PredictorSet, which must outlive the Prediction.
struct Prediction {
  double prediction_mwh = 0;
  double interval_lo_mwh = 0, interval_hi_mwh = 0;
  double coverage = 0;           // stated coverage of the interval (e.g. 0.9)
  double coverage_measured = 0;  // coverage measured on held-out folds
  std::string_view predictor;    // "measured" | "static"
  std::string_view device_type;
  std::string_view formulation;
  const std::vector<std::string>* features_used = nullptr;
  double model_r2 = 0, cv_mape_pct = 0;  // k-fold CV of the chosen formulation
  std::optional<double> energy_per_inference_mj;
  std::optional<int> iterations_per_measurement;
  std::string_view unit = "mWh";
  std::string_view target;              // what the number means (energy of one measured run of N inferences, ...)
  std::string_view time_note;           // why a given time input was not used, when it was not
  std::string_view per_inference_note;  // why energy per inference is unavailable, when it is

  nlohmann::json to_json() const;  // the API's field names (prediction_mwh, confidence_interval, ...)
};

struct DevicePredictors {
  std::string device_type;
  std::optional<EnergyModel> measured;
  std::optional<EnergyModel> static_model;
  std::string measured_unavailable;  // why there is no measured predictor ("" when there is)
  std::string static_unavailable;    // why there is no static predictor
  // Notes precomputed so predict() does not allocate.
  std::string time_note;
  std::string per_inference_note;
};

class PredictorSet {
 public:
  // For every device of the catalog: loads <dir>/<device>.<kind>.{json,model} when its fingerprint matches the
  // device's clean rows, else trains (progress through `progress`) and saves there. A device with too few clean rows
  // gets no predictor and a reason. An empty dir means: train, do not save.
  static PredictorSet train_or_load(const catalog::Catalog& catalog, const std::filesystem::path& dir,
                                    const TrainSettings& settings = {}, const Progress& progress = log_progress);
  static void log_progress(const std::string& message);

  void add(DevicePredictors d);

  // FieldError for bad inputs (naming the field), NotFoundError for an unknown device or one without a predictor.
  Prediction predict(std::string_view device_type, const Inputs& in) const;

  const DevicePredictors& device(std::string_view device_type) const;  // NotFoundError when unknown
  std::vector<std::string> devices() const;
  nlohmann::json describe() const;  // per device: predictors, formulations, CV metrics, reasons

 private:
  std::map<std::string, DevicePredictors, std::less<>> devices_;
};

// Fills the notes of a DevicePredictors from what it holds.
void describe_limits(DevicePredictors& d);

}  // namespace edgeml::predictor
