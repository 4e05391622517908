#include "predictor/predictor_set.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"

namespace edgeml::predictor {

namespace {

constexpr PredictorKind kKinds[] = {PredictorKind::measured, PredictorKind::static_only, PredictorKind::per_run};

nlohmann::json opt_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

bool fresh_origin(const std::string& origin) {
  return origin == catalog::kOriginFleet || origin == catalog::kOriginApi;
}

}  // namespace

nlohmann::json Prediction::to_json() const {
  nlohmann::json notes = nlohmann::json::array();
  for (auto n : {model_note, ranking_note, time_note, per_inference_note})
    if (!n.empty()) notes.push_back(n);
  return {{"prediction_mwh", prediction_mwh},
          {"confidence_interval", {interval_lo_mwh, interval_hi_mwh}},
          {"interval_factor", interval_factor},
          {"ranking_only", ranking_only},
          {"coverage", coverage},
          {"coverage_measured", coverage_measured},
          {"predictor", predictor},
          {"device_type", device_type},
          {"formulation", formulation},
          {"borrowed_from", borrowed_from.empty() ? nlohmann::json(nullptr) : nlohmann::json(borrowed_from)},
          {"calibrated", calibrated},
          {"calibration_rows", calibration_rows},
          {"features_used", features_used ? *features_used : std::vector<std::string>{}},
          {"model_r2", model_r2},
          {"cv_mape", cv_mape_pct},
          {"cv_spearman", cv_spearman},
          {"energy_per_inference_mj", opt_json(energy_per_inference_mj)},
          {"iterations_per_measurement",
           iterations_per_measurement ? nlohmann::json(*iterations_per_measurement) : nlohmann::json(nullptr)},
          {"unit", unit},
          {"target", target},
          {"notes", notes}};
}

double ServedModel::interval_factor() const {
  const double base = model->interval_factor();
  return calibration ? std::max(base, std::exp(calibration->log_half_width)) : base;
}

EnergyEstimate ServedModel::predict(const Inputs& in) const {
  EnergyEstimate e = model->predict(in);
  if (!calibration) return e;
  e.mwh = calibration->apply(e.mwh, e.run_s);
  const double f = interval_factor();
  e.lo = e.mwh / f;
  e.hi = e.mwh * f;
  return e;
}

nlohmann::json ServedModel::describe() const {
  const EnergyModel& m = *model;
  const auto& r = m.report();
  const auto& fam = r.chosen_family_row().metrics;
  nlohmann::json j{{"formulation", m.formulation().name},
                   {"features", m.features()},
                   {"time_input", time_input_name(m.time_input())},
                   {"rows_used", m.rows_used()},
                   {"trained_on", trained_on},
                   {"trained_at_s", m.trained_at_s() > 0 ? nlohmann::json(m.trained_at_s()) : nlohmann::json()},
                   {"model_r2", m.model_r2()},
                   {"cv_mape", m.cv_mape_pct()},
                   {"cv_spearman", r.chosen_row().metrics.spearman},
                   {"family_cv_mape", fam.mape_pct},
                   {"family_cv_spearman", fam.spearman},
                   {"family_cv_within_10_pct", fam.within_10_pct},
                   {"choice_rule", r.choice_rule},
                   {"interval", r.interval.to_json()},
                   {"interval_factor", interval_factor()},
                   {"ranking_only", ranking_only()},
                   {"target", m.target_description()},
                   {"fingerprint", m.fingerprint()},
                   {"borrowed_from", borrowed_from.empty() ? nlohmann::json() : nlohmann::json(borrowed_from)},
                   {"calibration", calibration ? calibration->to_json() : nlohmann::json()},
                   {"note", note}};
  // Held-out figures beside the served interval: k-fold coverage, and nested CV of the whole choice when the model
  // was trained with it (edgeml train).
  j["kfold_interval_coverage"] =
      r.kfold_interval ? nlohmann::json(r.kfold_interval->heldout_coverage) : nlohmann::json();
  nlohmann::json nested = nlohmann::json::array();
  for (const auto& n : r.nested) nested.push_back(n.to_json());
  j["nested_cv"] = nested;
  return j;
}

void PredictorSet::log_progress(const std::string& message) { log::info("predictor", message); }

void describe_limits(DevicePredictors& d) {
  const ServedModel* any = d.measured ? &d.measured : d.static_model ? &d.static_model : nullptr;
  d.per_inference_note.clear();
  if (any && (*any)->iterations_per_measurement() <= 0)
    d.per_inference_note = "energy_per_inference_mj unavailable: " + d.device_type +
                           "'s benchmark data does not record how many inferences a measured run holds";
  if (!any && d.per_run)
    d.per_inference_note =
        "energy_per_inference_mj unavailable: a run of duration_avg_s holds an unknown number of "
        "inferences";
  d.time_note.clear();
  if (d.measured && d.measured->time_input() == TimeInput::duration)
    d.time_note = "latency_avg_s/throughput_iter_per_s not used: " + d.device_type +
                  "'s data records whole-run durations; give duration_avg_s for the measured predictor";
  else if (!d.measured)
    d.time_note = "no measured predictor for " + d.device_type + ": " + d.measured_unavailable;
  for (ServedModel* s : {&d.measured, &d.static_model, &d.per_run}) {
    if (!*s) continue;
    s->note = std::string(kind_name((*s)->kind())) + " predictor " +
              (s->borrowed_from.empty() ? "trained on " : "borrowed from " + s->borrowed_from + ", trained on ") +
              s->trained_on;
    if (s->calibration)
      s->note += "; calibrated to " + d.device_type + " on " + std::to_string(s->calibration->rows) + " " +
                 s->calibration->rows_from + " (x" + format_number(std::exp(s->calibration->log_offset), 3) +
                 " at scale " + format_number(s->calibration->log_scale, 3) + " in " + s->calibration->space + ")";
    s->ranking_note.clear();
    if (s->ranking_only())
      s->ranking_note = "interval x/÷ " + format_number(s->interval_factor(), 2) + " is wider than x/÷ " +
                        format_number(kRankingOnlyFactor, 0) +
                        ": good for ranking models against each other, not for an energy budget";
  }
}

void PredictorSet::add(DevicePredictors d) {
  describe_limits(d);
  std::string key = d.device_type;
  devices_.insert_or_assign(std::move(key), std::move(d));
}

const DevicePredictors& PredictorSet::device(std::string_view device_type) const {
  auto it = devices_.find(device_type);
  if (it == devices_.end()) {
    std::string known;
    for (const auto& [k, v] : devices_) known += (known.empty() ? "" : ", ") + k;
    throw NotFoundError("unknown device_type '" + std::string(device_type) + "' (known: " + known + ")");
  }
  return it->second;
}

std::vector<std::string> PredictorSet::devices() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : devices_) out.push_back(k);
  return out;
}

Prediction PredictorSet::predict(std::string_view device_type, const Inputs& in) const {
  validate(in);
  const DevicePredictors& d = device(device_type);
  const bool measured_time = d.measured && ((d.measured->time_input() == TimeInput::latency && in.latency_avg_s) ||
                                            (d.measured->time_input() == TimeInput::duration && in.duration_avg_s));
  const bool prefer_per_run = d.per_run_preferred && in.duration_avg_s && d.per_run &&
                              !(d.measured && d.measured->time_input() == TimeInput::latency && in.latency_avg_s);
  const ServedModel* s = prefer_per_run                     ? &d.per_run
                         : measured_time                    ? &d.measured
                         : (in.duration_avg_s && d.per_run) ? &d.per_run
                         : d.static_model                   ? &d.static_model
                                                            : nullptr;
  if (!s) {
    std::string why = "no energy predictor for device_type '" + d.device_type +
                      "' from these inputs: " + (d.static_unavailable.empty() ? "" : "static: " + d.static_unavailable);
    if (d.per_run) why += "; give duration_avg_s for the per-run predictor";
    throw NotFoundError(why);
  }
  const EnergyModel& m = **s;
  const EnergyEstimate e = s->predict(in);
  Prediction p;
  p.prediction_mwh = e.mwh;
  p.interval_lo_mwh = e.lo;
  p.interval_hi_mwh = e.hi;
  p.interval_factor = s->interval_factor();
  p.ranking_only = s->ranking_only();
  p.coverage = m.report().interval.coverage_target;
  p.coverage_measured = m.report().interval.heldout_coverage;
  p.predictor = kind_name(m.kind());
  p.device_type = d.device_type;
  p.formulation = m.formulation().name;
  p.borrowed_from = s->borrowed_from;
  p.calibrated = s->calibration.has_value();
  p.calibration_rows = s->calibration ? s->calibration->rows : 0;
  p.features_used = &m.features();
  p.model_r2 = m.model_r2();
  p.cv_mape_pct = m.cv_mape_pct();
  p.cv_spearman = m.report().chosen_family_row().metrics.spearman;
  if (m.iterations_per_measurement() > 0) {
    p.iterations_per_measurement = m.iterations_per_measurement();
    p.energy_per_inference_mj = e.mwh * 3600.0 / m.iterations_per_measurement();  // 1 mWh = 3600 mJ
  }
  p.target = m.target_description();
  const bool time_offered = in.latency_avg_s || in.throughput_iter_per_s || in.duration_avg_s;
  if (!measured_time && s != &d.per_run && time_offered) p.time_note = d.time_note;
  if (prefer_per_run) p.time_note = {};
  if (!p.energy_per_inference_mj) p.per_inference_note = d.per_inference_note;
  p.model_note = s->note;
  p.ranking_note = s->ranking_note;
  return p;
}

nlohmann::json PredictorSet::describe() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, d] : devices_) {
    nlohmann::json j = nlohmann::json::object();
    const std::pair<const ServedModel*, const std::string*> kinds[] = {{&d.measured, &d.measured_unavailable},
                                                                       {&d.static_model, &d.static_unavailable},
                                                                       {&d.per_run, &d.per_run_unavailable}};
    for (size_t i = 0; i < 3; ++i) {
      const std::string key(kind_name(kKinds[i]));
      if (*kinds[i].first)
        j[key] = kinds[i].first->describe();
      else
        j[key + "_unavailable"] = *kinds[i].second;
    }
    j["fresh_rows"] = d.fresh_rows;
    j["calibration_note"] = d.calibration_note;
    out[name] = j;
  }
  return out;
}

namespace {

struct DeviceRows {
  std::vector<const catalog::ModelRow*> file, fresh;
};

// A model trained on `data` for `kind`: the previous set's (same fingerprint), a saved one, or trained now.
std::shared_ptr<const EnergyModel> obtain(const TrainingData& data, PredictorKind kind, const BuildPolicy& policy,
                                          const PredictorSet* previous, const Progress& say) {
  const std::string tag = data.device_type + " " + std::string(kind_name(kind));
  if (previous) {
    try {
      const DevicePredictors& p = previous->device(data.device_type);
      for (const ServedModel* s : {&p.measured, &p.static_model, &p.per_run})
        if (*s && s->borrowed_from.empty() && (*s)->kind() == kind && (*s)->fingerprint() == data.fingerprint) {
          say(tag + ": unchanged rows, kept the model in use");
          return s->model;
        }
    } catch (const NotFoundError&) {
    }
  }
  if (!policy.dir.empty() && EnergyModel::saved_fingerprint(policy.dir, data.device_type, kind) == data.fingerprint) {
    try {
      auto m = std::make_shared<const EnergyModel>(EnergyModel::load(policy.dir, data.device_type, kind));
      say(tag + ": loaded saved model (fingerprint " + data.fingerprint.substr(0, 12) + " matches)");
      return m;
    } catch (const std::exception& e) {
      say(tag + ": " + e.what() + "; retraining");
    }
  }
  say(tag + ": no saved model matches " + std::to_string(data.rows.size()) + " rows (fingerprint " +
      data.fingerprint.substr(0, 12) + "); training");
  auto m = std::make_shared<const EnergyModel>(train_energy_model(data, kind, policy.train, say));
  if (!policy.dir.empty()) {
    try {
      m->save(policy.dir);
      say(tag + ": saved to " + EnergyModel::metadata_path(policy.dir, data.device_type, kind).string());
    } catch (const std::exception& e) {
      say(tag + ": could not save (" + std::string(e.what()) + "); using the model in memory");
    }
  }
  return m;
}

// Calibration points: each row predicted by the uncalibrated model (rows lacking the model's inputs are skipped).
std::vector<CalibrationPoint> points_for(const EnergyModel& m, const std::vector<TrainingRow>& rows) {
  std::vector<CalibrationPoint> pts;
  for (const auto& r : rows) {
    if (r.per_run_only && m.kind() != PredictorKind::per_run) continue;
    Inputs in = r.inputs;
    if (m.kind() == PredictorKind::per_run) {
      if (r.run_s <= 0) continue;
      in.duration_avg_s = r.run_s;
    }
    try {
      const EnergyEstimate e = m.predict(in);
      pts.push_back({r.model, e.mwh, r.energy_mwh, e.run_s});
    } catch (const Error&) {
      // this row lacks an input the model needs (e.g. latency for a latency model): not a calibration point
    }
  }
  return pts;
}

std::string origins_of(const std::vector<TrainingRow>& rows) {
  size_t fleet = 0, api = 0;
  for (const auto& r : rows) (r.origin == catalog::kOriginFleet ? fleet : api) += fresh_origin(r.origin);
  if (fleet && api) return "fleet/api rows";
  return fleet ? "fleet rows" : "api rows";
}

}  // namespace

PredictorSet PredictorSet::build(const catalog::Catalog& snapshot, const BuildPolicy& policy,
                                 const PredictorSet* previous, const Progress& progress) {
  auto say = [&](const std::string& m) {
    if (progress) progress(m);
  };
  PredictorSet set;
  for (const auto& device : snapshot.device_types()) {
    DevicePredictors d;
    d.device_type = device;
    DeviceRows rows;
    for (const auto* r : snapshot.rows_for(device))
      (fresh_origin(r->provenance.origin) ? rows.fresh : rows.file).push_back(r);
    const TrainingData file_data = TrainingData::from_rows(device, rows.file);
    const TrainingData fresh_data = TrainingData::from_rows(device, rows.fresh);
    d.fresh_rows = fresh_data.rows.size();

    // The device as it runs now wins when it has enough rows of its own; older file rows then stay out of training.
    const bool train_on_fresh = d.fresh_rows >= policy.min_retrain_rows ||
                                (file_data.rows.size() < kMinTrainingRows && d.fresh_rows >= kMinTrainingRows);
    const TrainingData& data = train_on_fresh ? fresh_data : file_data;
    const std::string trained_on = train_on_fresh
                                       ? std::to_string(fresh_data.rows.size()) + " " + origins_of(fresh_data.rows) +
                                             " (the device as it runs now; " + std::to_string(file_data.rows.size()) +
                                             " file rows of earlier campaigns not used)"
                                       : std::to_string(file_data.rows.size()) + " file rows";
    if (train_on_fresh)
      d.calibration_note = std::to_string(d.fresh_rows) + " fresh rows: predictors retrained on them";
    else if (d.fresh_rows >= policy.min_calibration_rows)
      d.calibration_note = std::to_string(d.fresh_rows) + " fresh rows: predictors calibrated on them";
    else
      d.calibration_note = std::to_string(d.fresh_rows) + " fresh (fleet/api) rows; " +
                           std::to_string(policy.min_calibration_rows) + " calibrate, " +
                           std::to_string(policy.min_retrain_rows) + " retrain";

    for (PredictorKind kind : kKinds) {
      ServedModel& slot = kind == PredictorKind::measured      ? d.measured
                          : kind == PredictorKind::static_only ? d.static_model
                                                               : d.per_run;
      std::string& why = kind == PredictorKind::measured      ? d.measured_unavailable
                         : kind == PredictorKind::static_only ? d.static_unavailable
                                                              : d.per_run_unavailable;
      if (kind != PredictorKind::static_only && !data.has_measured()) {
        why = "its benchmark rows carry no latency or run duration";
        continue;
      }
      const TrainingData sub = data.subset(kind);
      if (sub.rows.size() < kMinTrainingRows) {
        why = std::to_string(sub.rows.size()) + " usable rows (of " + std::to_string(data.catalog_rows) +
              "), need at least " + std::to_string(kMinTrainingRows);
        continue;
      }
      try {
        slot.model = obtain(sub, kind, policy, previous, say);
      } catch (const std::runtime_error& e) {
        why = std::string("training failed: ") + e.what();
        say(device + " " + std::string(kind_name(kind)) + ": " + why);
        continue;
      }
      slot.trained_on = trained_on;
      if (!train_on_fresh && d.fresh_rows >= policy.min_calibration_rows) {
        auto pts = points_for(*slot.model, fresh_data.rows);
        if (pts.size() >= policy.min_calibration_rows) {
          slot.calibration = fit_calibration(pts, policy.train.cv.coverage, policy.train.now_s);
          slot.calibration->rows_from = origins_of(fresh_data.rows) + " of " + device;
        }
      }
    }
    set.add(std::move(d));
  }

  // Borrowing: a device type without a per-run model of its own takes the one trained on the most rows elsewhere,
  // calibrated on its own rows (file and fresh) when it has enough of them.
  const ServedModel* donor = nullptr;
  std::string donor_device;
  for (const auto& [name, d] : set.devices_)
    if (d.per_run && d.per_run.borrowed_from.empty() && (!donor || d.per_run->rows_used() > (*donor)->rows_used())) {
      donor = &d.per_run;
      donor_device = name;
    }
  if (donor) {
    for (auto& [name, d] : set.devices_) {
      // A device calibrated on fresh rows: the donor's power model, calibrated on the same rows, competes with the
      // device's own model for duration inputs; the lower leave-one-out error on those rows wins.
      const ServedModel* own_model = d.measured && d.measured->time_input() == TimeInput::duration ? &d.measured
                                     : d.per_run                                                   ? &d.per_run
                                                                                                   : nullptr;
      if (own_model && own_model->calibration && name != donor_device) {
        std::vector<const catalog::ModelRow*> fresh;
        for (const auto* r : snapshot.rows_for(name))
          if (fresh_origin(r->provenance.origin)) fresh.push_back(r);
        const TrainingData fresh_data = TrainingData::from_rows(name, fresh);
        auto pts = points_for(**donor, fresh_data.rows);
        if (pts.size() >= policy.min_calibration_rows) {
          Calibration cal = fit_calibration(pts, policy.train.cv.coverage, policy.train.now_s);
          if (cal.leave_one_out.mape_pct < own_model->calibration->leave_one_out.mape_pct) {
            ServedModel borrowed;
            borrowed.model = donor->model;
            borrowed.borrowed_from = donor_device;
            borrowed.trained_on = donor->trained_on + " of " + donor_device;
            borrowed.calibration = std::move(cal);
            borrowed.calibration->rows_from =
                origins_of(fresh_data.rows) + " of " + name + " (leave-one-out MAPE " +
                format_number(borrowed.calibration->leave_one_out.mape_pct, 1) + "% against " +
                format_number(own_model->calibration->leave_one_out.mape_pct, 1) + "% for its own model)";
            say(name + ": " + donor_device +
                "'s calibrated power model predicts the fresh rows better; used for duration_avg_s inputs");
            d.per_run = std::move(borrowed);
            d.per_run_preferred = true;
            describe_limits(d);
          }
        }
        continue;
      }
      if (d.per_run) continue;
      std::vector<const catalog::ModelRow*> own = snapshot.rows_for(name);
      const TrainingData all = TrainingData::from_rows(name, own);
      auto pts = points_for(**donor, all.rows);
      if (pts.size() < policy.min_calibration_rows) {
        d.per_run_unavailable += "; not borrowing " + donor_device + "'s per-run model: " + std::to_string(pts.size()) +
                                 " rows with a run time to calibrate it, need " +
                                 std::to_string(policy.min_calibration_rows);
        continue;
      }
      ServedModel borrowed;
      borrowed.model = donor->model;
      borrowed.borrowed_from = donor_device;
      borrowed.trained_on = donor->trained_on + " of " + donor_device;
      borrowed.calibration = fit_calibration(pts, policy.train.cv.coverage, policy.train.now_s);
      borrowed.calibration->rows_from = "rows of " + name + " (file and fresh)";
      say(name + " per_run: borrowed " + donor_device + "'s power model, calibrated on " + std::to_string(pts.size()) +
          " rows");
      d.per_run = std::move(borrowed);
      describe_limits(d);
    }
  }
  return set;
}

PredictorSet PredictorSet::train_or_load(const catalog::Catalog& catalog, const std::filesystem::path& dir,
                                         const TrainSettings& settings, const Progress& progress) {
  BuildPolicy policy;
  policy.train = settings;
  policy.dir = dir;
  return build(catalog, policy, nullptr, progress);
}

}  // namespace edgeml::predictor
