#include "predictor/trainer.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace edgeml::predictor {

EnergyModel train_energy_model(const TrainingData& data, PredictorKind kind, const TrainSettings& s,
                               const Progress& progress) {
  if (data.rows.size() < kMinTrainingRows)
    throw std::runtime_error(data.device_type + ": " + std::to_string(data.rows.size()) +
                             " clean rows, need at least " + std::to_string(kMinTrainingRows) + " to train");
  if (kind != PredictorKind::static_only && !data.has_measured())
    throw std::runtime_error(data.device_type + ": rows carry no run time, so there is no " +
                             std::string(kind_name(kind)) + " predictor");
  auto say = [&](const std::string& m) {
    if (progress) progress(data.device_type + " " + std::string(kind_name(kind)) + ": " + m);
  };

  std::vector<Formulation> formulations;
  for (const auto& f : formulations_for(kind, data.time_input))
    if (s.formulations.empty() ||
        std::find(s.formulations.begin(), s.formulations.end(), f.name) != s.formulations.end())
      formulations.push_back(f);
  if (formulations.empty())
    throw std::runtime_error("none of the requested formulations applies to the " + std::string(kind_name(kind)) +
                             " predictor");
  CvReport report;
  report.settings = s.cv;
  std::vector<CvResult> kfold_results, family_results;
  size_t step = 0;
  const size_t steps = formulations.size() * 2;
  for (Split split : {Split::kfold, Split::family}) {
    for (const auto& f : formulations) {
      char line[160];
      std::snprintf(line, sizeof line, "[%zu/%zu] %s CV %s (%d folds x %d repeats, %zu rows)", ++step, steps,
                    std::string(split_name(split)).c_str(), std::string(f.name).c_str(), s.cv.folds, s.cv.repeats,
                    data.rows.size());
      say(line);
      CvResult r = cross_validate(data, kind, f, split, s.cv, s.learner);
      CvRow row{r.formulation, r.metrics, r.mape_sd, r.mape_se};
      if (split == Split::kfold) {
        report.kfold.push_back(row);
        kfold_results.push_back(std::move(r));
      } else {
        report.family.push_back(row);
        family_results.push_back(std::move(r));
      }
    }
  }

  // Choose on the family-held-out table (new architectures are what a predictor meets); fall back to k-fold when
  // the data has too few families for group folds.
  const bool by_family = !report.family.empty();
  const auto& table = by_family ? report.family : report.kfold;
  std::string why;
  const size_t best = choose_formulation(table, why);
  const Formulation& chosen = formulation_by_name(table[best].formulation);
  report.chosen = std::string(chosen.name);
  report.choice_rule = why + (by_family ? " (architecture families held out)" : " (k-fold)");

  std::vector<double> actual;
  for (const auto& r : data.rows) actual.push_back(r.energy_mwh);
  const CvResult& calib = by_family ? family_results[best] : kfold_results[best];
  report.interval = calibrate_intervals(actual, calib.oof, calib.folds, s.cv.coverage);
  report.interval.split = by_family ? "family" : "kfold";

  say("chose " + report.chosen + "; fitting it on all " + std::to_string(data.rows.size()) + " rows");
  std::vector<size_t> all(data.rows.size());
  std::iota(all.begin(), all.end(), 0);
  FittedModel final_model = fit_rows(data, kind, data.feature_matrix(kind), chosen, all, s.learner);
  return EnergyModel(data, kind, chosen, std::move(final_model), std::move(report), s.learner, s.now_s);
}

size_t choose_formulation(const std::vector<CvRow>& rows, std::string& why) {
  if (rows.empty()) throw std::logic_error("choose_formulation: no CV rows");
  size_t best = 0;
  for (size_t i = 1; i < rows.size(); ++i)
    if (rows[i].metrics.mape_pct < rows[best].metrics.mape_pct) best = i;
  const double limit = rows[best].metrics.mape_pct + rows[best].mape_se;
  size_t chosen = best;
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].metrics.mape_pct <= limit) {
      chosen = i;
      break;
    }
  char line[320];
  std::snprintf(line, sizeof line,
                "simplest formulation within one standard error of the lowest MAPE: %s %.1f%% (lowest: %s %.1f%% "
                "+ SE %.1f = %.1f%%)",
                rows[chosen].formulation.c_str(), rows[chosen].metrics.mape_pct, rows[best].formulation.c_str(),
                rows[best].metrics.mape_pct, rows[best].mape_se, limit);
  why = line;
  return chosen;
}

}  // namespace edgeml::predictor
