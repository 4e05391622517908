#include "predictor/predictor_set.hpp"

#include "common/error.hpp"
#include "common/log.hpp"

namespace edgeml::predictor {

nlohmann::json Prediction::to_json() const {
  nlohmann::json notes = nlohmann::json::array();
  if (!time_note.empty()) notes.push_back(time_note);
  if (!per_inference_note.empty()) notes.push_back(per_inference_note);
  return {{"prediction_mwh", prediction_mwh},
          {"confidence_interval", {interval_lo_mwh, interval_hi_mwh}},
          {"coverage", coverage},
          {"coverage_measured", coverage_measured},
          {"predictor", predictor},
          {"device_type", device_type},
          {"formulation", formulation},
          {"features_used", features_used ? *features_used : std::vector<std::string>{}},
          {"model_r2", model_r2},
          {"cv_mape", cv_mape_pct},
          {"energy_per_inference_mj",
           energy_per_inference_mj ? nlohmann::json(*energy_per_inference_mj) : nlohmann::json(nullptr)},
          {"iterations_per_measurement",
           iterations_per_measurement ? nlohmann::json(*iterations_per_measurement) : nlohmann::json(nullptr)},
          {"unit", unit},
          {"target", target},
          {"notes", notes}};
}

void PredictorSet::log_progress(const std::string& message) { log::info("predictor", message); }

void describe_limits(DevicePredictors& d) {
  const EnergyModel* any = d.measured ? &*d.measured : d.static_model ? &*d.static_model : nullptr;
  d.per_inference_note.clear();
  if (any && any->iterations_per_measurement() <= 0)
    d.per_inference_note = "energy_per_inference_mj unavailable: " + d.device_type +
                           "'s benchmark data does not record how many inferences a measured run holds";
  d.time_note.clear();
  if (d.measured && d.measured->time_input() == TimeInput::duration)
    d.time_note = "latency_avg_s/throughput_iter_per_s not used: " + d.device_type +
                  "'s data records whole-run durations; give duration_avg_s for the measured predictor";
  else if (!d.measured)
    d.time_note = "no measured predictor for " + d.device_type + ": " + d.measured_unavailable;
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
  const bool time_given = d.measured && ((d.measured->time_input() == TimeInput::latency && in.latency_avg_s) ||
                                         (d.measured->time_input() == TimeInput::duration && in.duration_avg_s));
  const EnergyModel* m = time_given ? &*d.measured : d.static_model ? &*d.static_model : nullptr;
  if (!m) throw NotFoundError("no energy predictor for device_type '" + d.device_type + "': " + d.static_unavailable);
  const EnergyEstimate e = m->predict(in);
  Prediction p;
  p.prediction_mwh = e.mwh;
  p.interval_lo_mwh = e.lo;
  p.interval_hi_mwh = e.hi;
  p.coverage = m->report().interval.coverage_target;
  p.coverage_measured = m->report().interval.heldout_coverage;
  p.predictor = kind_name(m->kind());
  p.device_type = d.device_type;
  p.formulation = m->formulation().name;
  p.features_used = &m->features();
  p.model_r2 = m->model_r2();
  p.cv_mape_pct = m->cv_mape_pct();
  if (m->iterations_per_measurement() > 0) {
    p.iterations_per_measurement = m->iterations_per_measurement();
    p.energy_per_inference_mj = e.mwh * 3600.0 / m->iterations_per_measurement();  // 1 mWh = 3600 mJ
  }
  p.target = m->target_description();
  const bool time_offered = in.latency_avg_s || in.throughput_iter_per_s || in.duration_avg_s;
  if (!time_given && time_offered) p.time_note = d.time_note;
  p.per_inference_note = d.per_inference_note;
  return p;
}

nlohmann::json PredictorSet::describe() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, d] : devices_) {
    nlohmann::json j;
    for (const auto* m : {d.measured ? &*d.measured : nullptr, d.static_model ? &*d.static_model : nullptr}) {
      if (!m) continue;
      j[std::string(kind_name(m->kind()))] = {
          {"formulation", m->formulation().name}, {"features", m->features()},
          {"rows_used", m->rows_used()},          {"model_r2", m->model_r2()},
          {"cv_mape", m->cv_mape_pct()},          {"interval", m->report().interval.to_json()},
          {"target", m->target_description()},    {"fingerprint", m->fingerprint()}};
    }
    if (!d.measured) j["measured_unavailable"] = d.measured_unavailable;
    if (!d.static_model) j["static_unavailable"] = d.static_unavailable;
    out[name] = j;
  }
  return out;
}

PredictorSet PredictorSet::train_or_load(const catalog::Catalog& catalog, const std::filesystem::path& dir,
                                         const TrainSettings& settings, const Progress& progress) {
  auto say = [&](const std::string& m) {
    if (progress) progress(m);
  };
  PredictorSet set;
  for (const auto& device : catalog.device_types()) {
    DevicePredictors d;
    d.device_type = device;
    const TrainingData data = TrainingData::from_catalog(catalog, device);
    for (PredictorKind kind : {PredictorKind::measured, PredictorKind::static_only}) {
      std::optional<EnergyModel>& slot = kind == PredictorKind::measured ? d.measured : d.static_model;
      std::string& why = kind == PredictorKind::measured ? d.measured_unavailable : d.static_unavailable;
      if (kind == PredictorKind::measured && !data.has_measured()) {
        why = "its benchmark rows carry no latency or run duration";
        continue;
      }
      if (data.rows.size() < kMinTrainingRows) {
        why = std::to_string(data.rows.size()) + " clean rows (of " + std::to_string(data.catalog_rows) +
              "), need at least " + std::to_string(kMinTrainingRows);
        continue;
      }
      const std::string tag = device + " " + std::string(kind_name(kind));
      if (!dir.empty() && EnergyModel::saved_fingerprint(dir, device, kind) == data.fingerprint) {
        try {
          slot.emplace(EnergyModel::load(dir, device, kind));
          say(tag + ": loaded saved model (fingerprint " + data.fingerprint.substr(0, 12) + " matches)");
          continue;
        } catch (const std::exception& e) {
          say(tag + ": " + e.what() + "; retraining");
        }
      }
      say(tag + ": no saved model matches " + std::to_string(data.rows.size()) + " clean rows (fingerprint " +
          data.fingerprint.substr(0, 12) + "); training");
      try {
        slot.emplace(train_energy_model(data, kind, settings, progress));
      } catch (const std::runtime_error& e) {
        why = std::string("training failed: ") + e.what();
        say(tag + ": " + why);
        continue;
      }
      if (!dir.empty()) {
        try {
          slot->save(dir);
          say(tag + ": saved to " + EnergyModel::metadata_path(dir, device, kind).string());
        } catch (const std::exception& e) {
          say(tag + ": could not save (" + std::string(e.what()) + "); using the model in memory");
        }
      }
    }
    set.add(std::move(d));
  }
  return set;
}

}  // namespace edgeml::predictor
