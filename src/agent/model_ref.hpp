#pragma once
// Names a stored model version: the store keys versions by (name, sha256), so the same name can hold several files.
#include <nlohmann/json.hpp>
#include <string>

#include "common/names.hpp"

namespace edgeml::agent {

struct ModelRef {
  std::string name;
  std::string sha256;  // lowercase hex
  std::string format;  // "onnx", "tflite", ... from the file's bytes; also the file extension
  unsigned long long size_bytes = 0;
  double stored_at_s = 0;  // file modification time (Unix seconds)
  // The pixel convention the deploy request asked for (runtime::Convention name), overriding the model's own;
  // "" = the model's. Kept beside the file in the store (ModelStore::set_preprocess) and in the agent state.
  std::string preprocess;
  // What the model's weights are, as the deploy request said (the controller knows where the file came from):
  // "placeholder" (the zoo's seeded values: latency and energy are real, outputs mean nothing), "file" (as the
  // provided file holds them), "" = not said. Kept beside the file like preprocess (ModelStore::set_weights).
  std::string weights;

  std::string file_name() const { return sha256 + "." + format; }
  bool same_version(const ModelRef& o) const { return name == o.name && sha256 == o.sha256; }
};

nlohmann::json to_json(const ModelRef& ref);
ModelRef model_ref_from_json(const nlohmann::json& j);  // throws std::runtime_error naming the bad key

// Model names become folder names: the common rule (common/names.hpp).
inline void validate_model_name(const std::string& name, const std::string& field = "model_name") {
  validate_name(name, field);
}
// "placeholder" | "file"; throws FieldError(field) otherwise.
void validate_weights(const std::string& weights, const std::string& field = "weights");
// The words /status shows beside a weights value.
std::string weights_note(const std::string& weights);
// 64 hex digits; returns it lowercased. Throws FieldError(field).
std::string normalize_sha256(const std::string& sha, const std::string& field = "sha256");

}  // namespace edgeml::agent
