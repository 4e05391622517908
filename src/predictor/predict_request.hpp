#pragma once
// The body of POST /api/predict-energy, read into what PredictorSet::predict takes -- so the route only resolves
// device names and serialises answers. One object, a list, or {"models": [...], "device_type": "..."}; every item
// takes params_m, gflops, gmacs, size_mb and a timing input: latency_avg_s (+ throughput_iter_per_s) per inference,
// or duration_avg_s, a measured run's duration (the RPi5 schema).
// device_type, most specific first: the item's own, the batch's top level, the ?device_type= query parameter, else ""
// (the route's default device). Until now the top-level and query forms were silently ignored.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "predictor/features.hpp"

namespace edgeml::predictor {

inline constexpr size_t kMaxPredictBatch = 1000;

struct PredictItem {
  Inputs inputs;
  std::string device_type;       // "" when none was given anywhere
  std::string device_type_from;  // "item" | "batch" | "query" | "" (for the answer, so a caller sees which applied)
  std::optional<std::string> model_name;
};

struct PredictRequest {
  std::vector<PredictItem> items;
  bool batch = false;  // a list or {"models": [...]} (answer with a list), else one object
};

// Throws FieldError naming the field ("params_m", "[3].gflops", "device_type", "models") for a malformed body, an
// unknown key, a number out of range or a batch over kMaxPredictBatch.
PredictRequest parse_predict_request(const nlohmann::json& body, const std::string& query_device_type = "");

}  // namespace edgeml::predictor
