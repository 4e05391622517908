#include "predictor/conformal.hpp"

#include <algorithm>
#include <cmath>

namespace edgeml::predictor {

double conformal_quantile(std::vector<double> r, double coverage) {
  if (r.empty()) return 0;
  std::sort(r.begin(), r.end());
  const auto rank = static_cast<size_t>(std::ceil((static_cast<double>(r.size()) + 1.0) * coverage));
  return r[std::min(std::max<size_t>(rank, 1), r.size()) - 1];
}

double log_residual(double actual, double predicted) {
  return std::fabs(std::log(actual) - std::log(std::max(predicted, 1e-9)));
}

nlohmann::json IntervalCalibration::to_json() const {
  return {{"method", "split-conformal on cross-validated log residuals"},
          {"split", split},
          {"coverage_target", coverage_target},
          {"log_half_width", log_half_width},
          {"factor", std::exp(log_half_width)},
          {"heldout_coverage", heldout_coverage},
          {"mean_heldout_half_width", mean_heldout_half_width},
          {"residuals", residuals}};
}

IntervalCalibration IntervalCalibration::from_json(const nlohmann::json& j) {
  IntervalCalibration c;
  c.coverage_target = j.at("coverage_target").get<double>();
  c.log_half_width = j.at("log_half_width").get<double>();
  c.heldout_coverage = j.at("heldout_coverage").get<double>();
  c.mean_heldout_half_width = j.at("mean_heldout_half_width").get<double>();
  c.residuals = j.at("residuals").get<size_t>();
  c.split = j.at("split").get<std::string>();
  return c;
}

IntervalCalibration calibrate_intervals(const std::vector<double>& actual, const std::vector<std::vector<double>>& oof,
                                        const std::vector<std::vector<int>>& folds, double coverage) {
  IntervalCalibration c;
  c.coverage_target = coverage;
  std::vector<double> all;
  size_t covered = 0, tested = 0, fold_count = 0;
  double width_sum = 0;
  for (size_t rep = 0; rep < oof.size(); ++rep) {
    std::vector<double> res(actual.size());
    for (size_t i = 0; i < actual.size(); ++i) res[i] = log_residual(actual[i], oof[rep][i]);
    all.insert(all.end(), res.begin(), res.end());
    const int k = *std::max_element(folds[rep].begin(), folds[rep].end()) + 1;
    for (int f = 0; f < k; ++f) {
      std::vector<double> others;
      for (size_t i = 0; i < res.size(); ++i)
        if (folds[rep][i] != f) others.push_back(res[i]);
      const double q = conformal_quantile(others, coverage);
      bool any = false;
      for (size_t i = 0; i < res.size(); ++i) {
        if (folds[rep][i] != f) continue;
        any = true;
        ++tested;
        covered += res[i] <= q;
      }
      if (any) {
        width_sum += q;
        ++fold_count;
      }
    }
  }
  c.residuals = all.size();
  c.log_half_width = conformal_quantile(all, coverage);
  c.heldout_coverage = tested ? static_cast<double>(covered) / tested : 0;
  c.mean_heldout_half_width = fold_count ? width_sum / fold_count : 0;
  return c;
}

}  // namespace edgeml::predictor
