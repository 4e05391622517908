#include "predictor/energy_model.hpp"

#include <cmath>
#include <stdexcept>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

namespace edgeml::predictor {

namespace {

nlohmann::json rows_json(const std::vector<CvRow>& rows) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : rows) {
    auto j = to_json(r.metrics);
    j["formulation"] = r.formulation;
    j["mape_sd_pct"] = r.mape_sd;
    j["mape_se_pct"] = r.mape_se;
    a.push_back(j);
  }
  return a;
}

std::vector<CvRow> rows_from_json(const nlohmann::json& a) {
  std::vector<CvRow> out;
  for (const auto& j : a)
    out.push_back({j.at("formulation").get<std::string>(), metrics_from_json(j), j.at("mape_sd_pct").get<double>(),
                   j.at("mape_se_pct").get<double>()});
  return out;
}

std::string base_name(const std::string& device, PredictorKind kind) {
  return device + "." + std::string(kind_name(kind));
}

}  // namespace

nlohmann::json CvReport::to_json() const {
  nlohmann::json j{{"kfold", rows_json(kfold)},  {"family", rows_json(family)},    {"chosen", chosen},
                   {"choice_rule", choice_rule}, {"interval", interval.to_json()}, {"settings", settings.to_json()}};
  j["kfold_interval"] = kfold_interval ? kfold_interval->to_json() : nlohmann::json();
  nlohmann::json n = nlohmann::json::array();
  for (const auto& r : nested) n.push_back(r.to_json());
  j["nested"] = n;
  return j;
}

CvReport CvReport::from_json(const nlohmann::json& j) {
  CvReport r;
  r.kfold = rows_from_json(j.at("kfold"));
  r.family = rows_from_json(j.at("family"));
  r.chosen = j.at("chosen").get<std::string>();
  r.choice_rule = j.at("choice_rule").get<std::string>();
  r.interval = IntervalCalibration::from_json(j.at("interval"));
  if (!j.at("kfold_interval").is_null()) r.kfold_interval = IntervalCalibration::from_json(j.at("kfold_interval"));
  for (const auto& n : j.at("nested")) r.nested.push_back(NestedCvResult::from_json(n));
  const auto& s = j.at("settings");
  r.settings.folds = s.at("folds").get<int>();
  r.settings.repeats = s.at("repeats").get<int>();
  r.settings.seed = s.at("seed").get<std::uint64_t>();
  r.settings.coverage = s.at("coverage").get<double>();
  return r;
}

const CvRow& CvReport::chosen_row() const {
  for (const auto& r : kfold)
    if (r.formulation == chosen) return r;
  throw std::logic_error("CV report has no row for the chosen formulation " + chosen);
}

const CvRow& CvReport::chosen_family_row() const {
  for (const auto& r : family)
    if (r.formulation == chosen) return r;
  return chosen_row();  // a report without family folds (too few families): the k-fold row stands in
}

EnergyModel::EnergyModel(const TrainingData& data, PredictorKind kind, const Formulation& f, FittedModel model,
                         CvReport report, LearnerSettings learner, double trained_at_s)
    : device_type_(data.device_type),
      kind_(kind),
      formulation_(&f),
      model_(std::move(model)),
      report_(std::move(report)),
      learner_(learner),
      time_input_(kind == PredictorKind::measured  ? data.time_input
                  : kind == PredictorKind::per_run ? TimeInput::duration
                                                   : TimeInput::none),
      iterations_(kind == PredictorKind::per_run ? 0 : data.iterations_per_measurement),
      target_(kind == PredictorKind::per_run
                  ? "energy of one run lasting duration_avg_s seconds, mWh: a power model on the static features x "
                    "the duration"
                  : data.target_description),
      fingerprint_(data.fingerprint),
      rows_used_(data.rows.size()),
      trained_at_s_(trained_at_s),
      data_summary_(data.summary()) {}

double EnergyModel::interval_factor() const { return std::exp(report_.interval.log_half_width); }

double EnergyModel::run_seconds(const Inputs& in) const {
  if (time_input_ == TimeInput::latency) {
    if (!in.latency_avg_s) throw FieldError("latency_avg_s", "missing field latency_avg_s");
    return *in.latency_avg_s * iterations_;
  }
  if (time_input_ == TimeInput::duration) {
    if (!in.duration_avg_s) throw FieldError("duration_avg_s", "missing field duration_avg_s");
    return *in.duration_avg_s;
  }
  return 0;
}

EnergyEstimate EnergyModel::predict(const Inputs& in) const {
  validate(in);
  FeatureVector x;
  make_features(in, kind_, time_input_, x);
  const double run_s = run_seconds(in);
  EnergyEstimate e;
  e.run_s = run_s;
  e.mwh = predict_energy_mwh(*formulation_, model_, x.data(), run_s);
  const double factor = std::exp(report_.interval.log_half_width);
  e.lo = e.mwh / factor;
  e.hi = e.mwh * factor;
  return e;
}

nlohmann::json EnergyModel::metadata() const {
  const auto& best = report_.chosen_row().metrics;
  return {{"format_version", kModelFormatVersion},
          {"device_type", device_type_},
          {"predictor", kind_name(kind_)},
          {"features", features()},
          {"time_input", time_input_name(time_input_)},
          {"formulation", formulation_->name},
          {"target", target_},
          {"unit", "mWh"},
          {"iterations_per_measurement", iterations_ > 0 ? nlohmann::json(iterations_) : nlohmann::json(nullptr)},
          {"rows_used", rows_used_},
          {"training_data", data_summary_},
          {"fingerprint", fingerprint_},
          {"model_r2", best.r2},
          {"cv_mape_pct", best.mape_pct},
          {"cv", report_.to_json()},
          {"trained_at_s", trained_at_s_ > 0 ? nlohmann::json(trained_at_s_) : nlohmann::json(nullptr)},
          {"learner", learner_.to_json()}};
}

std::filesystem::path EnergyModel::metadata_path(const std::filesystem::path& dir, const std::string& device,
                                                 PredictorKind kind) {
  return dir / (base_name(device, kind) + ".json");
}

void EnergyModel::save(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  const std::string model_file = base_name(device_type_, kind_) + ".model";
  const std::string bytes = model_.save();
  write_file_atomic(dir / model_file, bytes);
  auto meta = metadata();
  meta["model_file"] = model_file;
  meta["model_format"] = model_.is_constant() ? "constant-json" : model_.is_ridge() ? "ridge-json" : "xgboost-ubj";
  meta["model_sha256"] = sha256_hex(bytes);
  write_file_atomic(metadata_path(dir, device_type_, kind_), meta.dump(2) + "\n");  // metadata last: it commits
}

std::string EnergyModel::saved_fingerprint(const std::filesystem::path& dir, const std::string& device,
                                           PredictorKind kind) {
  try {
    const auto path = metadata_path(dir, device, kind);
    if (!std::filesystem::exists(path)) return "";
    auto meta = nlohmann::json::parse(read_file(path));
    if (meta.value("format_version", 0) != kModelFormatVersion) return "";
    return meta.value("fingerprint", "");
  } catch (const std::exception&) {
    return "";
  }
}

EnergyModel EnergyModel::load(const std::filesystem::path& dir, const std::string& device, PredictorKind kind) {
  const auto path = metadata_path(dir, device, kind);
  try {
    auto meta = nlohmann::json::parse(read_file(path));
    if (meta.at("format_version").get<int>() != kModelFormatVersion)
      throw std::runtime_error("format_version " + meta.at("format_version").dump() + " is not " +
                               std::to_string(kModelFormatVersion));
    if (meta.at("device_type").get<std::string>() != device ||
        meta.at("predictor").get<std::string>() != kind_name(kind))
      throw std::runtime_error("metadata is for another device or predictor");
    const std::string bytes = read_file(dir / meta.at("model_file").get<std::string>());
    if (sha256_hex(bytes) != meta.at("model_sha256").get<std::string>())
      throw std::runtime_error("model file does not match its sha256");
    EnergyModel m;
    m.device_type_ = device;
    m.kind_ = kind;
    m.formulation_ = &formulation_by_name(meta.at("formulation").get<std::string>());
    m.time_input_ = time_input_from_name(meta.at("time_input").get<std::string>());
    if (kind == PredictorKind::measured && m.time_input_ == TimeInput::none)
      throw std::runtime_error("measured predictor without a time input");
    m.model_ = FittedModel::load(*m.formulation_, bytes, feature_names(kind, m.time_input_).size(),
                                 formulation_columns(*m.formulation_, kind, m.time_input_));
    m.report_ = CvReport::from_json(meta.at("cv"));
    const auto& l = meta.at("learner");
    m.learner_.ridge_lambda = l.at("ridge_lambda").get<double>();
    m.learner_.gbm_rounds = l.at("gbm_rounds").get<int>();
    m.learner_.gbm_eta = l.at("gbm_eta").get<double>();
    m.learner_.gbm_max_depth = l.at("gbm_max_depth").get<int>();
    m.learner_.rf_trees = l.at("rf_trees").get<int>();
    m.learner_.rf_max_depth = l.at("rf_max_depth").get<int>();
    m.learner_.seed = l.at("seed").get<std::uint64_t>();
    m.iterations_ =
        meta.at("iterations_per_measurement").is_null() ? 0 : meta.at("iterations_per_measurement").get<int>();
    m.target_ = meta.at("target").get<std::string>();
    m.fingerprint_ = meta.at("fingerprint").get<std::string>();
    m.rows_used_ = meta.at("rows_used").get<size_t>();
    m.data_summary_ = meta.at("training_data");
    m.trained_at_s_ = meta.at("trained_at_s").is_null() ? 0 : meta.at("trained_at_s").get<double>();
    m.report_.chosen_row();  // the chosen formulation must have its CV row
    return m;
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot load predictor " + path.string() + ": " + e.what());
  }
}

}  // namespace edgeml::predictor
