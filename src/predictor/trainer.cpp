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
  size_t step = 0;
  const size_t steps = formulations.size() * 2;
  auto announce = [&](Split split, const Formulation& f) {
    char line[160];
    std::snprintf(line, sizeof line, "[%zu/%zu] %s CV %s (%d folds x %d repeats, %zu rows)", ++step, steps,
                  std::string(split_name(split)).c_str(), std::string(f.name).c_str(), s.cv.folds, s.cv.repeats,
                  data.rows.size());
    say(line);
  };
  std::vector<CvResult> kfold_results;
  for (const auto& f : formulations) {
    announce(Split::kfold, f);
    CvResult r = cross_validate(data, kind, f, Split::kfold, s.cv, s.learner);
    report.kfold.push_back({r.formulation, r.metrics, r.mape_sd, r.mape_se});
    kfold_results.push_back(std::move(r));
  }
  // Choose on the family-held-out table (new architectures are what a predictor meets), and calibrate the interval
  // on the chosen formulation's family-held-out residuals.
  FamilyChoice choice = choose_on_family_folds(data, kind, formulations, s.cv, s.learner,
                                               [&](const Formulation& f) { announce(Split::family, f); });
  for (const auto& r : choice.family) report.family.push_back({r.formulation, r.metrics, r.mape_sd, r.mape_se});
  // The model keeps a pointer to its formulation: take the one in the static list, not the local copy.
  const Formulation& chosen = formulation_by_name(formulations[choice.chosen].name);
  report.chosen = std::string(chosen.name);
  report.choice_rule = choice.why + " (architecture families held out)";
  report.interval = choice.interval;

  // The same conformal check on plain k-fold residuals, reported beside the family figure (not served).
  std::vector<double> actual;
  for (const auto& r : data.rows) actual.push_back(r.energy_mwh);
  const CvResult& kf = kfold_results[choice.chosen];
  report.kfold_interval = calibrate_intervals(actual, kf.oof, kf.folds, s.cv.coverage);
  report.kfold_interval->split = "kfold";

  if (s.nested) {
    for (Split split : {Split::kfold, Split::family}) {
      say("nested " + std::string(split_name(split)) + " CV of the whole choice (" + std::to_string(s.cv.folds) +
          " outer folds x " + std::to_string(s.cv.repeats) + " repeats, each choosing among " +
          std::to_string(formulations.size()) + " formulations on its own inner folds)");
      report.nested.push_back(nested_cross_validate(data, kind, formulations, split, s.cv, s.learner));
    }
  }

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
