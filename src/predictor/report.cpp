#include "predictor/report.hpp"

#include <cmath>
#include <cstdio>

namespace edgeml::predictor {

std::string format_cv_table(const std::string& title, const std::vector<CvRow>& rows, const std::string& chosen) {
  std::string out = title + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-22s %7s %10s %22s %9s %8s %8s %9s\n", "formulation", "R2", "MAE mWh",
                "MAPE % (+-sd, SE)", "MdAPE %", "<=10%", "<=20%", "Spearman");
  out += line;
  for (const auto& r : rows) {
    const auto& m = r.metrics;
    std::snprintf(line, sizeof line, "%c %-22s %7.3f %10.2f %8.1f +-%4.1f SE %4.1f %9.1f %7.1f%% %7.1f%% %9.3f\n",
                  r.formulation == chosen ? '*' : ' ', r.formulation.c_str(), m.r2, m.mae_mwh, m.mape_pct, r.mape_sd,
                  r.mape_se, m.median_ape_pct, m.within_10_pct, m.within_20_pct, m.spearman);
    out += line;
  }
  return out;
}

std::string format_held_out_summary(const EnergyModel& m) {
  const auto& r = m.report();
  char line[320];
  std::snprintf(line, sizeof line,
                "  held-out accuracy of the chosen predictor (interval stated at %.0f%%):\n  %-48s %7s %7s %9s %9s "
                "%7s\n",
                100 * r.interval.coverage_target, "evaluation", "MAPE %", "<=10%", "Spearman", "coverage", "x/÷");
  std::string out = line;
  auto add = [&](const std::string& what, const Metrics& mt, const IntervalCalibration* interval, double coverage,
                 double factor) {
    if (interval) {
      coverage = interval->heldout_coverage;
      factor = std::exp(interval->mean_heldout_half_width);
    }
    std::snprintf(line, sizeof line, "  %-48s %7.1f %6.1f%% %9.3f %8.1f%% %7.3f\n", what.c_str(), mt.mape_pct,
                  mt.within_10_pct, mt.spearman, 100 * coverage, factor);
    out += line;
  };
  add("k-fold (" + r.chosen + ")", r.chosen_row().metrics, r.kfold_interval ? &*r.kfold_interval : nullptr,
      r.kfold_interval ? 0 : std::nan(""), std::nan(""));
  add("families held out (" + r.chosen + ")", r.chosen_family_row().metrics, &r.interval, 0, 0);
  for (const auto& n : r.nested) {
    add("nested " + std::string(n.split == "kfold" ? "k-fold" : "families held out") + " (choice inside folds)",
        n.metrics, nullptr, n.interval_coverage, n.mean_interval_factor);
  }
  for (const auto& n : r.nested) {
    std::string chosen;
    int total = 0;
    for (const auto& [name, count] : n.chosen) total += count;
    for (const auto& [name, count] : n.chosen)
      chosen += (chosen.empty() ? "" : ", ") + name + " " + std::to_string(count) + "/" + std::to_string(total);
    out += "  nested " + n.split + ": chosen in the outer folds: " + chosen + "\n";
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
  char line[400];
  out += "  chosen: " + r.chosen + " -- " + r.choice_rule + "\n";
  std::snprintf(line, sizeof line,
                "  interval: %.0f%% split-conformal in log space on %s folds, prediction x/÷ %.3f; coverage measured "
                "on held-out folds: %.1f%%%s\n",
                100 * r.interval.coverage_target, r.interval.split.c_str(), std::exp(r.interval.log_half_width),
                100 * r.interval.heldout_coverage, m.ranking_only() ? " -- wider than x/÷ 2: ranking only" : "");
  out += line;
  out += format_held_out_summary(m);
  out += "  target: " + m.target_description() + "\n";
  return out;
}

}  // namespace edgeml::predictor
