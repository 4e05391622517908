#pragma once
// Calibration of a trained predictor to a device as it runs now, from a few fresh rows (fleet benchmarks, rows posted
// to the API). Campaign shift -- the same device type in another power mode, clock or software state -- moves power
// by a factor that no static feature sees; five fresh rows measure that factor (see the energy findings note).
// In log space: log y' = offset + scale x log y, where y is the predicted average power when the prediction has a run
// time (measured, per-run) and the predicted energy otherwise (static). With fewer than kScaleCalibrationRows rows
// only the offset is fitted (scale 1), as the median of the log ratios (robust to one bad row).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "predictor/metrics.hpp"

namespace edgeml::predictor {

inline constexpr size_t kMinCalibrationRows = 5;
inline constexpr size_t kScaleCalibrationRows = 10;

struct CalibrationPoint {
  std::string model;
  double predicted_mwh = 0;  // the uncalibrated predictor's answer
  double actual_mwh = 0;     // measured
  double run_s = 0;          // run time the prediction used (0: static, calibrate energy)
};

struct Calibration {
  double log_offset = 0, log_scale = 1;
  std::string space;  // "log_power" | "log_energy"
  size_t rows = 0;
  std::vector<std::string> models;  // the rows it was fitted on
  std::string rows_from;            // e.g. "5 api rows of rpi5"
  double fitted_at_s = 0;           // Unix seconds (passed in)
  Metrics before;                   // the uncalibrated predictor on these rows
  Metrics leave_one_out;            // each row predicted by a calibration fitted on the others
  double log_half_width = 0;  // conformal quantile of the leave-one-out log residuals (interval after calibration)

  double apply(double predicted_mwh, double run_s) const;
  nlohmann::json to_json() const;
};

// Throws std::invalid_argument with fewer than kMinCalibrationRows points or a non-positive value.
Calibration fit_calibration(const std::vector<CalibrationPoint>& points, double coverage, double now_s);

}  // namespace edgeml::predictor
