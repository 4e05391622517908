#include "predictor/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "predictor/conformal.hpp"

namespace edgeml::predictor {

namespace {

// log of what is calibrated: average power (W) when there is a run time, else energy (mWh).
double log_quantity(double mwh, double run_s) { return run_s > 0 ? std::log(mwh * 3.6 / run_s) : std::log(mwh); }

struct Fit {
  double offset = 0, scale = 1;
};

Fit fit_points(const std::vector<CalibrationPoint>& pts) {
  std::vector<double> x, y;
  for (const auto& p : pts) {
    x.push_back(log_quantity(p.predicted_mwh, p.run_s));
    y.push_back(log_quantity(p.actual_mwh, p.run_s));
  }
  Fit f;
  if (pts.size() >= kScaleCalibrationRows) {
    // Least squares of y on x, the slope kept within [0.5, 2] (a wilder slope on a few rows is noise).
    double mx = 0, my = 0;
    for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
    mx /= static_cast<double>(x.size());
    my /= static_cast<double>(y.size());
    double sxy = 0, sxx = 0;
    for (size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
    f.scale = sxx > 1e-12 ? std::clamp(sxy / sxx, 0.5, 2.0) : 1.0;
    f.offset = my - f.scale * mx;
    return f;
  }
  std::vector<double> d;
  for (size_t i = 0; i < x.size(); ++i) d.push_back(y[i] - x[i]);
  std::sort(d.begin(), d.end());
  const size_t n = d.size();
  f.offset = n % 2 ? d[n / 2] : 0.5 * (d[n / 2 - 1] + d[n / 2]);
  return f;
}

double apply_fit(const Fit& f, double mwh, double run_s) {
  const double v = std::exp(f.offset + f.scale * log_quantity(mwh, run_s));
  return run_s > 0 ? v * run_s / 3.6 : v;
}

}  // namespace

double Calibration::apply(double mwh, double run_s) const { return apply_fit({log_offset, log_scale}, mwh, run_s); }

nlohmann::json Calibration::to_json() const {
  return {{"method", log_scale == 1.0 && rows < kScaleCalibrationRows
                         ? "offset in log space: median log ratio of measured to predicted"
                         : "offset and scale in log space: least squares (scale within 0.5-2)"},
          {"space", space},
          {"log_offset", log_offset},
          {"factor_at_scale_1", std::exp(log_offset)},
          {"log_scale", log_scale},
          {"rows", rows},
          {"models", models},
          {"rows_from", rows_from},
          {"fitted_at_s", fitted_at_s},
          {"before", predictor::to_json(before)},
          {"leave_one_out", predictor::to_json(leave_one_out)},
          {"interval_factor", std::exp(log_half_width)}};
}

Calibration fit_calibration(const std::vector<CalibrationPoint>& pts, double coverage, double now_s) {
  if (pts.size() < kMinCalibrationRows)
    throw std::invalid_argument("calibration needs at least " + std::to_string(kMinCalibrationRows) + " rows, got " +
                                std::to_string(pts.size()));
  for (const auto& p : pts)
    if (!(p.predicted_mwh > 0) || !(p.actual_mwh > 0) || p.run_s < 0)
      throw std::invalid_argument("calibration row " + p.model + " has a non-positive energy");
  Calibration c;
  const Fit all = fit_points(pts);
  c.log_offset = all.offset;
  c.log_scale = all.scale;
  c.space = pts.front().run_s > 0 ? "log_power" : "log_energy";
  c.rows = pts.size();
  c.fitted_at_s = now_s;
  std::vector<double> actual, before, loo, residuals;
  for (size_t i = 0; i < pts.size(); ++i) {
    c.models.push_back(pts[i].model);
    std::vector<CalibrationPoint> others;
    for (size_t j = 0; j < pts.size(); ++j)
      if (j != i) others.push_back(pts[j]);
    // Leave-one-out needs kMinCalibrationRows - 1 rows at least; fit_points handles any count >= 1.
    const double p = apply_fit(fit_points(others), pts[i].predicted_mwh, pts[i].run_s);
    actual.push_back(pts[i].actual_mwh);
    before.push_back(pts[i].predicted_mwh);
    loo.push_back(p);
    residuals.push_back(log_residual(pts[i].actual_mwh, p));
  }
  c.before = compute_metrics(actual, before);
  c.leave_one_out = compute_metrics(actual, loo);
  c.log_half_width = conformal_quantile(residuals, coverage);
  return c;
}

}  // namespace edgeml::predictor
