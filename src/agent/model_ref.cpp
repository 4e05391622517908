#include "agent/model_ref.hpp"

#include <stdexcept>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "common/strings.hpp"
#include "runtime/input_spec.hpp"

namespace edgeml::agent {

nlohmann::json to_json(const ModelRef& ref) {
  return {{"name", ref.name},
          {"sha256", ref.sha256},
          {"format", ref.format},
          {"size_bytes", ref.size_bytes},
          {"stored_at", ref.stored_at_s},
          {"preprocess", ref.preprocess.empty() ? nlohmann::json(nullptr) : nlohmann::json(ref.preprocess)},
          {"weights", ref.weights.empty() ? nlohmann::json(nullptr) : nlohmann::json(ref.weights)},
          {"weights_note", weights_note(ref.weights)}};
}

ModelRef model_ref_from_json(const nlohmann::json& j) {
  try {
    ModelRef r;
    r.name = j.at("name").get<std::string>();
    r.sha256 = j.at("sha256").get<std::string>();
    r.format = j.at("format").get<std::string>();
    r.size_bytes = j.value("size_bytes", 0ULL);
    r.stored_at_s = j.value("stored_at", 0.0);
    if (j.contains("preprocess") && !j["preprocess"].is_null()) {
      r.preprocess = j["preprocess"].get<std::string>();
      runtime::parse_convention(r.preprocess);  // a state file naming an unknown convention is damaged
    }
    if (j.contains("weights") && !j["weights"].is_null()) {
      r.weights = j["weights"].get<std::string>();
      validate_weights(r.weights);
    }
    validate_model_name(r.name, "name");
    r.sha256 = normalize_sha256(r.sha256);
    return r;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("bad model reference in state file: ") + e.what());
  }
}

void validate_weights(const std::string& weights, const std::string& field) {
  if (weights != "placeholder" && weights != "file")
    throw FieldError(field, "'" + field + "' must be placeholder or file, got '" + weights + "'");
}

std::string weights_note(const std::string& weights) {
  if (weights == "placeholder")
    return "placeholder weights: the zoo's seeded values -- latency and energy are real, the outputs mean nothing";
  if (weights == "file") return "weights as stored in the deployed file";
  return "not stated by the deployment";
}

std::string normalize_sha256(const std::string& sha, const std::string& field) {
  if (!is_sha256_hex(sha)) throw FieldError(field, "'" + field + "' must be 64 hexadecimal digits");
  return to_lower(sha);
}

}  // namespace edgeml::agent
