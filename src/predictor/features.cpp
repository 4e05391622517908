#include "predictor/features.hpp"

#include <cmath>
#include <stdexcept>

#include "common/error.hpp"

namespace edgeml::predictor {

std::string_view kind_name(PredictorKind kind) {
  switch (kind) {
    case PredictorKind::measured:
      return "measured";
    case PredictorKind::per_run:
      return "per_run";
    case PredictorKind::static_only:
      break;
  }
  return "static";
}

PredictorKind kind_from_name(std::string_view name) {
  if (name == "measured") return PredictorKind::measured;
  if (name == "static") return PredictorKind::static_only;
  if (name == "per_run") return PredictorKind::per_run;
  throw FieldError("predictor", "unknown predictor kind '" + std::string(name) + "' (measured, static, per_run)");
}

std::string_view time_input_name(TimeInput t) {
  switch (t) {
    case TimeInput::latency:
      return "latency_avg_s";
    case TimeInput::duration:
      return "duration_avg_s";
    case TimeInput::none:
      break;
  }
  return "none";
}

TimeInput time_input_from_name(std::string_view name) {
  if (name == "latency_avg_s") return TimeInput::latency;
  if (name == "duration_avg_s") return TimeInput::duration;
  if (name == "none") return TimeInput::none;
  throw std::runtime_error("unknown time input '" + std::string(name) + "'");
}

namespace {

void check_positive(const std::optional<double>& v, const char* field, bool required) {
  if (!v) {
    if (required) throw FieldError(field, std::string("missing field ") + field);
    return;
  }
  if (!std::isfinite(*v)) throw FieldError(field, std::string(field) + " must be a finite number");
  if (*v <= 0) throw FieldError(field, std::string(field) + " must be > 0");
}

}  // namespace

void validate(const Inputs& in) {
  check_positive(in.params_m, "params_m", true);
  check_positive(in.gflops, "gflops", true);
  check_positive(in.gmacs, "gmacs", true);
  check_positive(in.size_mb, "size_mb", true);
  check_positive(in.latency_avg_s, "latency_avg_s", false);
  check_positive(in.throughput_iter_per_s, "throughput_iter_per_s", false);
  check_positive(in.duration_avg_s, "duration_avg_s", false);
}

const std::vector<std::string>& feature_names(PredictorKind kind, TimeInput time) {
  static const std::vector<std::string> kStatic{"params_m", "gflops", "gmacs", "size_mb", "params_per_gflop"};
  static const std::vector<std::string> kLatency{"params_m",         "gflops",         "gmacs",
                                                 "size_mb",          "latency_avg_s",  "throughput_iter_per_s",
                                                 "params_per_gflop", "latency_x_size", "gmacs_per_s"};
  static const std::vector<std::string> kDuration{"params_m",       "gflops",           "gmacs",          "size_mb",
                                                  "duration_avg_s", "params_per_gflop", "duration_x_size"};
  if (kind == PredictorKind::static_only || kind == PredictorKind::per_run) return kStatic;
  if (time == TimeInput::latency) return kLatency;
  if (time == TimeInput::duration) return kDuration;
  throw std::logic_error("no measured predictor on a device without run times");
}

size_t make_features(const Inputs& in, PredictorKind kind, TimeInput time, FeatureVector& out) {
  const double params = *in.params_m, gflops = *in.gflops, size = *in.size_mb;
  out[0] = params;
  out[1] = gflops;
  out[2] = *in.gmacs;
  out[3] = size;
  const double params_per_gflop = params / gflops;
  if (kind == PredictorKind::static_only || kind == PredictorKind::per_run) {
    out[4] = params_per_gflop;
    return 5;
  }
  if (time == TimeInput::latency) {
    if (!in.latency_avg_s) throw FieldError("latency_avg_s", "missing field latency_avg_s");
    const double latency = *in.latency_avg_s;
    out[4] = latency;
    out[5] = in.throughput_iter_per_s ? *in.throughput_iter_per_s : 1.0 / latency;
    out[6] = params_per_gflop;
    out[7] = latency * size;
    out[8] = *in.gmacs / latency;  // achieved throughput: how busy the accelerator is kept (power rises with it)
    return 9;
  }
  if (time == TimeInput::duration) {
    if (!in.duration_avg_s) throw FieldError("duration_avg_s", "missing field duration_avg_s");
    out[4] = *in.duration_avg_s;
    out[5] = params_per_gflop;
    out[6] = *in.duration_avg_s * size;
    return 7;
  }
  throw std::logic_error("no measured predictor on a device without run times");
}

}  // namespace edgeml::predictor
