#pragma once
// The rows a device's predictors learn from: the catalog's clean rows (no flags; repaired rows included) of that
// device, plus rows flagged only because their latency column is the run's duration (energy-per-run rows, which only
// the per-run power model can use), in a fixed order
// (sorted by model name, so results do not depend on file order), with what the target means on that device and a
// fingerprint that tells whether a saved model was trained on exactly these rows.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "predictor/features.hpp"

namespace edgeml::predictor {

struct TrainingRow {
  std::string model, family;
  Inputs inputs;
  double energy_mwh = 0;      // energy of one measured run (the target)
  double run_s = 0;           // run time of that run (0 when the device has no run times)
  bool per_run_only = false;  // energy-per-run row: no per-inference latency; trains the per_run predictor only
  std::string origin;         // file | fleet | api
};

struct TrainingData {
  std::string device_type;
  TimeInput time_input = TimeInput::none;
  int iterations_per_measurement = 0;  // N inferences per run; 0 when unknown (RPi5 schema)
  std::string target_description;      // what energy_mwh means on this device, in words
  std::vector<TrainingRow> rows;
  size_t catalog_rows = 0;              // all rows of the device, flagged included
  std::vector<std::string> exclusions;  // one line per left-out row: "model: reason"
  std::string fingerprint;              // sha256 of the training rows (see fingerprint_rows)

  // Throws NotFoundError when the catalog has no rows for the device.
  static TrainingData from_catalog(const catalog::Catalog& catalog, const std::string& device_type);
  // Builds from rows already chosen (tests, our own bench); the same exclusion rules apply.
  static TrainingData from_rows(const std::string& device_type, const std::vector<const catalog::ModelRow*>& rows);

  // The rows a predictor kind trains on (per-run rows only for per_run; per_run needs a run time), with its own
  // fingerprint.
  TrainingData subset(PredictorKind kind) const;
  // Row-major n x d features for a predictor kind, and the run times.
  std::vector<double> feature_matrix(PredictorKind kind) const;
  size_t feature_count(PredictorKind kind) const { return feature_names(kind, time_input).size(); }
  bool has_measured() const { return time_input != TimeInput::none; }

  nlohmann::json summary() const;  // device, N, rows used/excluded, target meaning, fingerprint
};

// Format version of the fingerprint and of saved models; bump when either changes meaning.
inline constexpr int kModelFormatVersion = 3;  // 3: gmacs_per_s feature, formulation columns

}  // namespace edgeml::predictor
