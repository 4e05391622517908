#pragma once
// What a predictor reads: the inputs a caller gives (the original API's body), checked field by field, and the
// feature vector built from them. Two predictor kinds per device:
//   measured -- static features plus the measured run time (latency per inference, or a run's duration on devices
//               whose files give durations), for a model that was benchmarked somewhere;
//   static   -- only what the model file itself says (params, FLOPs, MACs, size), for a model never run;
//   per_run  -- a power model on the static features, times a given run duration (duration_avg_s): energy of a run of
//               any length, on any device type. It is what another device type borrows (calibration.hpp).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeml::predictor {

enum class PredictorKind { measured, static_only, per_run };
std::string_view kind_name(PredictorKind kind);  // "measured" | "static" | "per_run"
PredictorKind kind_from_name(std::string_view name);

// How a device's benchmark rows give the run time of one measured run.
enum class TimeInput {
  latency,   // latency_avg_s per inference x N inferences per run (Jetson schema)
  duration,  // duration_avg_s of the whole run, N unknown (RPi5 schema)
  none,      // no run time at all: only the static predictor exists
};
std::string_view time_input_name(TimeInput t);
TimeInput time_input_from_name(std::string_view name);

// The caller's numbers. Static fields are required; time fields are optional and pick the predictor.
struct Inputs {
  std::optional<double> params_m, gflops, gmacs, size_mb;
  std::optional<double> latency_avg_s, throughput_iter_per_s, duration_avg_s;
};

// Throws FieldError naming the first field that is missing (static fields), not finite, or not > 0.
void validate(const Inputs& in);

inline constexpr size_t kMaxFeatures = 12;
using FeatureVector = std::array<double, kMaxFeatures>;

// Feature names, in the order of the vector, for one predictor kind on a device with this time input. The latency
// predictor also gets gmacs_per_s = gmacs / latency_avg_s, the throughput the model achieves on the device: a
// measured proxy for how busy it keeps the accelerator, which is what moves average power (findings note, section 4).
// A run's duration gives no per-inference throughput (N unknown), so duration devices do not have it.
// A measured predictor on a TimeInput::none device does not exist (throws std::logic_error).
const std::vector<std::string>& feature_names(PredictorKind kind, TimeInput time);

// Fills `out` (feature_names(kind,time).size() values). Inputs must be valid; a missing time field throws FieldError.
// throughput_iter_per_s, when not given, is 1/latency: that is how the benchmark files define it.
size_t make_features(const Inputs& in, PredictorKind kind, TimeInput time, FeatureVector& out);

}  // namespace edgeml::predictor
