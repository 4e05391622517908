#include "predictor/training_data.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "predictor/family.hpp"

namespace edgeml::predictor {

namespace {

Inputs inputs_of(const catalog::ModelRow& r) {
  Inputs in;
  in.params_m = r.params_m;
  in.gflops = r.gflops;
  in.gmacs = r.gmacs;
  in.size_mb = r.size_mb;
  in.latency_avg_s = r.latency_avg_s;
  in.throughput_iter_per_s = r.throughput_iter_per_s;
  in.duration_avg_s = r.duration_avg_s;
  return in;
}

void hash_number(Sha256& h, const std::optional<double>& v) {
  char buf[40];
  int len = v ? std::snprintf(buf, sizeof buf, "%.17g|", *v) : std::snprintf(buf, sizeof buf, "-|");
  h.update(buf, static_cast<size_t>(len));
}

std::string fingerprint_rows(const TrainingData& d) {
  Sha256 h;
  h.update("edgeml-predictor v" + std::to_string(kModelFormatVersion) + "|" + d.device_type + "|" +
           std::string(time_input_name(d.time_input)) + "|" + std::to_string(d.iterations_per_measurement) + "\n");
  for (const auto& r : d.rows) {
    h.update(r.model + (r.per_run_only ? "|run|" : "|"));
    for (auto v : {r.inputs.params_m, r.inputs.gflops, r.inputs.gmacs, r.inputs.size_mb, r.inputs.latency_avg_s,
                   r.inputs.throughput_iter_per_s, r.inputs.duration_avg_s})
      hash_number(h, v);
    hash_number(h, r.energy_mwh);
    hash_number(h, r.run_s);
    h.update("\n");
  }
  return h.hex_digest();
}

}  // namespace

TrainingData TrainingData::from_catalog(const catalog::Catalog& catalog, const std::string& device_type) {
  auto rows = catalog.rows_for(device_type);
  if (rows.empty()) throw NotFoundError("no benchmark rows for device_type '" + device_type + "'");
  return from_rows(device_type, rows);
}

TrainingData TrainingData::from_rows(const std::string& device_type, const std::vector<const catalog::ModelRow*>& all) {
  TrainingData d;
  d.device_type = device_type;
  d.catalog_rows = all.size();
  std::vector<const catalog::ModelRow*> clean, per_run;
  for (const auto* r : all) {
    if (r->energy_per_run_only() && r->energy_avg_mwh && *r->energy_avg_mwh > 0 && r->run_duration_s() &&
        *r->run_duration_s() > 0) {
      per_run.push_back(r);
      continue;
    }
    if (!r->clean()) {
      std::string names;
      for (const auto& f : r->flags) names += (names.empty() ? "" : ",") + f.name;
      d.exclusions.push_back(r->model + ": flagged " + names);
      continue;
    }
    try {
      validate(inputs_of(*r));
      if (!r->energy_avg_mwh || !(*r->energy_avg_mwh > 0))
        throw FieldError("energy_avg_mwh", "energy_avg_mwh must be > 0");
    } catch (const FieldError& e) {
      d.exclusions.push_back(r->model + ": " + e.what());
      continue;
    }
    clean.push_back(r);
  }

  // The device's run time: per-inference latency x N where the rows have latency, else the run's duration.
  size_t with_latency = 0, with_duration = 0;
  std::map<int, size_t> n_votes;
  for (const auto* r : clean) {
    if (r->latency_avg_s && r->iterations_per_measurement) {
      ++with_latency;
      ++n_votes[*r->iterations_per_measurement];
    } else if (r->duration_avg_s) {
      ++with_duration;
    }
  }
  if (with_latency > 0 && with_latency >= with_duration) {
    d.time_input = TimeInput::latency;
    d.iterations_per_measurement =
        std::max_element(n_votes.begin(), n_votes.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
    d.target_description = "energy of one measured run of " + std::to_string(d.iterations_per_measurement) +
                           " inferences (iterations_per_measurement), mWh; run time = latency_avg_s x " +
                           std::to_string(d.iterations_per_measurement);
  } else if (with_duration > 0) {
    d.time_input = TimeInput::duration;
    d.target_description =
        "energy of one measured run lasting duration_avg_s seconds, mWh; the number of inferences in a run is not "
        "recorded in this device's data, so energy per inference is unavailable";
  } else {
    d.time_input = TimeInput::none;
    d.target_description = "energy of one measured run, mWh (this device's rows carry no run time)";
  }

  for (const auto* r : clean) {
    TrainingRow t;
    t.model = r->model;
    t.family = family(r->model);
    t.inputs = inputs_of(*r);
    t.energy_mwh = *r->energy_avg_mwh;
    t.origin = r->provenance.origin;
    if (d.time_input == TimeInput::latency) {
      if (!r->latency_avg_s || !r->iterations_per_measurement) {
        d.exclusions.push_back(r->model + ": no latency_avg_s (this device's predictors use latency)");
        continue;
      }
      if (*r->iterations_per_measurement != d.iterations_per_measurement) {
        d.exclusions.push_back(r->model + ": iterations_per_measurement " +
                               std::to_string(*r->iterations_per_measurement) + " differs from the device's " +
                               std::to_string(d.iterations_per_measurement));
        continue;
      }
      t.run_s = *r->latency_avg_s * d.iterations_per_measurement;
      t.inputs.duration_avg_s.reset();
    } else if (d.time_input == TimeInput::duration) {
      if (!r->duration_avg_s) {
        d.exclusions.push_back(r->model + ": no duration_avg_s (this device's predictors use run durations)");
        continue;
      }
      t.run_s = *r->duration_avg_s;
      t.inputs.latency_avg_s.reset();
      t.inputs.throughput_iter_per_s.reset();
    }
    d.rows.push_back(std::move(t));
  }
  for (const auto* r : per_run) {
    Inputs in = inputs_of(*r);
    in.latency_avg_s.reset();
    in.throughput_iter_per_s.reset();
    in.duration_avg_s = r->run_duration_s();
    try {
      validate(in);
    } catch (const FieldError& e) {
      d.exclusions.push_back(r->model + ": energy-per-run row: " + e.what());
      continue;
    }
    if (d.time_input == TimeInput::none) {
      d.exclusions.push_back(r->model + ": energy-per-run row on a device without run times");
      continue;
    }
    TrainingRow t;
    t.model = r->model;
    t.family = family(r->model);
    t.inputs = in;
    t.energy_mwh = *r->energy_avg_mwh;
    t.run_s = *r->run_duration_s();
    t.per_run_only = true;
    t.origin = r->provenance.origin;
    d.rows.push_back(std::move(t));
  }
  std::stable_sort(d.rows.begin(), d.rows.end(), [](const auto& a, const auto& b) { return a.model < b.model; });
  d.fingerprint = fingerprint_rows(d);
  return d;
}

TrainingData TrainingData::subset(PredictorKind kind) const {
  TrainingData out = *this;
  out.rows.clear();
  for (const auto& r : rows) {
    const bool usable = kind == PredictorKind::per_run ? r.run_s > 0 : !r.per_run_only;
    if (usable) out.rows.push_back(r);
  }
  out.fingerprint = fingerprint_rows(out);
  return out;
}

std::vector<double> TrainingData::feature_matrix(PredictorKind kind) const {
  const size_t dims = feature_count(kind);
  std::vector<double> x;
  x.reserve(rows.size() * dims);
  FeatureVector f;
  for (const auto& r : rows) {
    make_features(r.inputs, kind, time_input, f);
    x.insert(x.end(), f.begin(), f.begin() + dims);
  }
  return x;
}

nlohmann::json TrainingData::summary() const {
  return {{"device_type", device_type},
          {"time_input", time_input_name(time_input)},
          {"iterations_per_measurement",
           iterations_per_measurement > 0 ? nlohmann::json(iterations_per_measurement) : nlohmann::json(nullptr)},
          {"target", target_description},
          {"rows_used", rows.size()},
          {"catalog_rows", catalog_rows},
          {"rows_excluded", exclusions.size()},
          {"exclusions", exclusions},
          {"fingerprint", fingerprint}};
}

}  // namespace edgeml::predictor
