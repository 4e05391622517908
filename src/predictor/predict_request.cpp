#include "predictor/predict_request.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "common/json_fields.hpp"

namespace edgeml::predictor {

namespace {

const char* const kItemKeys[] = {"params_m",       "gflops",        "gmacs",
                                 "size_mb",        "latency_avg_s", "throughput_iter_per_s",
                                 "duration_avg_s", "device_type",   "model_name"};

PredictItem read_item(const nlohmann::json& item, const std::string& batch_device, const std::string& query_device) {
  if (!item.is_object()) throw FieldError("body", "each prediction request must be a JSON object");
  for (const auto& [key, value] : item.items())
    if (std::find(std::begin(kItemKeys), std::end(kItemKeys), key) == std::end(kItemKeys))
      throw FieldError(key, "unknown field '" + key +
                                "' (params_m, gflops, gmacs, size_mb, latency_avg_s, throughput_iter_per_s, "
                                "duration_avg_s, device_type, model_name)");
  const NumberRange positive{0, 1e12, true};
  PredictItem out;
  out.inputs.params_m = optional_number(item, "params_m", positive);
  out.inputs.gflops = optional_number(item, "gflops", positive);
  out.inputs.gmacs = optional_number(item, "gmacs", positive);
  out.inputs.size_mb = optional_number(item, "size_mb", positive);
  out.inputs.latency_avg_s = optional_number(item, "latency_avg_s", positive);
  out.inputs.throughput_iter_per_s = optional_number(item, "throughput_iter_per_s", positive);
  out.inputs.duration_avg_s = optional_number(item, "duration_avg_s", positive);
  validate(out.inputs);  // names the first missing static field
  out.model_name = optional_string(item, "model_name", 256);
  if (auto d = optional_string(item, "device_type", 64); d && !d->empty()) {
    out.device_type = *d;
    out.device_type_from = "item";
  } else if (!batch_device.empty()) {
    out.device_type = batch_device;
    out.device_type_from = "batch";
  } else if (!query_device.empty()) {
    out.device_type = query_device;
    out.device_type_from = "query";
  }
  return out;
}

}  // namespace

PredictRequest parse_predict_request(const nlohmann::json& body, const std::string& query_device_type) {
  PredictRequest req;
  const nlohmann::json* items = nullptr;
  std::string batch_device;
  if (body.is_array()) items = &body;
  if (body.is_object() && body.contains("models")) {
    for (const auto& [key, value] : body.items())
      if (key != "models" && key != "device_type")
        throw FieldError(key, "unknown field '" + key + "' beside models (models, device_type)");
    if (!body["models"].is_array()) throw FieldError("models", "'models' must be a list");
    items = &body["models"];
    batch_device = optional_string(body, "device_type", 64).value_or("");
  }
  if (!items) {
    req.items.push_back(read_item(body, "", query_device_type));
    return req;
  }
  req.batch = true;
  if (items->empty()) throw FieldError("body", "the list of models to predict is empty");
  if (items->size() > kMaxPredictBatch)
    throw FieldError("body", "at most " + std::to_string(kMaxPredictBatch) + " models at once");
  for (size_t i = 0; i < items->size(); ++i) {
    try {
      req.items.push_back(read_item((*items)[i], batch_device, query_device_type));
    } catch (const FieldError& e) {
      throw FieldError("[" + std::to_string(i) + "]." + e.field(), "item " + std::to_string(i) + ": " + e.what());
    }
  }
  return req;
}

}  // namespace edgeml::predictor
