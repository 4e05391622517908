#pragma once
// Holds the runtime of the active model. A new model is prepared (loaded + one health-check inference) in a runtime
// of its own while the current one keeps serving; only a model that passed is swapped in. So a model that fails to
// load never displaces the one that works.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent/model_ref.hpp"
#include "runtime/input_spec.hpp"

namespace edgeml::runtime {
class Runtime;
}

namespace edgeml::agent {

struct TensorShape {
  std::string name;
  std::vector<std::int64_t> shape;  // -1 for dynamic
  size_t element_count = 0;         // dynamic dimensions count as 1
};

struct LoadedModel;  // a runtime with a model in it (model_host.cpp)

struct ActiveModel {
  ModelRef ref;
  std::string backend;  // "ort" | "opencv"
  TensorShape input, output;
  // How images are fed to it: the model's own declaration (runtime), or the deploy request's `preprocess`.
  runtime::InputSpec input_spec;
  double since_s = 0;
  double load_s = 0;            // time to load
  double health_latency_s = 0;  // the health-check inference
};

// {"layout", "convention", "source"} of the active model, for GET /status (active_model.input_spec).
nlohmann::json input_spec_json(const ActiveModel& model);

struct InferenceResult {
  std::vector<float> output;
  double latency_s = 0;
};

class ModelHost {
 public:
  ModelHost(std::string backend, int threads);
  ~ModelHost();

  // Loads the file in a fresh runtime and runs one inference on a synthetic input; the output must be non-empty and
  // finite. Throws Error(422) with the reason. The active model is untouched. ref.preprocess, when set, overrides
  // the model's pixel convention.
  std::shared_ptr<LoadedModel> prepare(const ModelRef& ref, const std::filesystem::path& file) const;
  // Makes a prepared model the active one; the old runtime is released once no inference uses it.
  void swap_in(std::shared_ptr<LoadedModel> model, double since_s);
  void unload();

  std::optional<ActiveModel> active() const;
  // Increments on every swap, so loops can tell a new model from the old one.
  std::uint64_t generation() const;
  // One inference on the active model; Error(409) when none, FieldError("body") on a wrong input size.
  InferenceResult run(const std::vector<float>& input) const;

  // The synthetic input used by the health check and the continuous loop: every value 0.5 (mid-grey after scaling).
  static std::vector<float> synthetic_input(size_t count) { return std::vector<float>(count, 0.5f); }
  static std::vector<std::string> backends();

 private:
  std::string backend_;
  int threads_;
  mutable std::mutex mu_;  // guards model_ and generation_
  std::shared_ptr<LoadedModel> model_;
  std::uint64_t generation_ = 0;
};

}  // namespace edgeml::agent
