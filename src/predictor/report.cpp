#include "predictor/report.hpp"

#include <cmath>
#include <cstdio>

namespace edgeml::predictor {

std::string format_cv_table(const std::string& title, const std::vector<CvRow>& rows, const std::string& chosen) {
  std::string out = title + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-18s %7s %10s %15s %9s %8s %8s\n", "formulation", "R2", "MAE mWh", "MAPE %",
                "MdAPE %", "<=10%", "<=20%");
  out += line;
  for (const auto& r : rows) {
    const auto& m = r.metrics;
    std::snprintf(line, sizeof line, "%c %-18s %7.3f %10.2f %8.1f +-%4.1f %9.1f %7.1f%% %7.1f%%\n",
                  r.formulation == chosen ? '*' : ' ', r.formulation.c_str(), m.r2, m.mae_mwh, m.mape_pct, r.mape_sd,
                  m.median_ape_pct, m.within_10_pct, m.within_20_pct);
    out += line;
  }
  return out;
}

std::string format_model_report(const EnergyModel& m) {
  const auto& r = m.report();
  const std::string head = m.device_type() + " / " + std::string(kind_name(m.kind())) + " predictor (" +
                           std::to_string(m.rows_used()) + " clean rows)";
  std::string out = head + "\n";
  out += format_cv_table("  k-fold CV (" + std::to_string(r.settings.folds) + " folds x " +
                             std::to_string(r.settings.repeats) + " repeats):",
                         r.kfold, r.chosen);
  out += format_cv_table("  architecture families held out (" + std::to_string(r.settings.folds) + " group folds x " +
                             std::to_string(r.settings.repeats) + " repeats):",
                         r.family, r.chosen);
  char line[320];
  std::snprintf(line, sizeof line,
                "  chosen: %s (lowest k-fold MAPE)\n"
                "  interval: %.0f%% split-conformal in log space, prediction x/÷ %.3f; coverage measured on held-out "
                "folds: %.1f%%\n",
                r.chosen.c_str(), 100 * r.interval.coverage_target, std::exp(r.interval.log_half_width),
                100 * r.interval.heldout_coverage);
  out += line;
  out += "  target: " + m.target_description() + "\n";
  return out;
}

}  // namespace edgeml::predictor
