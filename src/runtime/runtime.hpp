#pragma once
// One interface over the inference backends (ONNX Runtime, OpenCV DNN). The agent and the bench use only this.
// A backend that cannot run a model correctly refuses it at load() with the reason (RuntimeRefusal), rather than
// running it wrongly.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/input_spec.hpp"

namespace edgeml::runtime {

struct TensorInfo {
  std::string name;
  std::vector<int64_t> shape;    // -1 for a dynamic dimension; empty when the model does not declare it
  size_t element_count() const;  // dynamic dimensions count as 1
};

struct RuntimeOptions {
  int threads = 1;  // intra-op threads
};

// Thrown by load() when this backend will not run this model; what() says why (e.g. "no runtime for pytorch in this
// build: ... export it to ONNX", "OpenCV 4.6 cannot parse Clip with min/max inputs").
class RuntimeRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  virtual std::string backend() const = 0;  // "ort" or "opencv"
  // Loads a model file (ONNX, or TFLite translated in memory: model_source.hpp); throws RuntimeRefusal (will not run
  // it), edgeml::Error (a TFLite file the importer rejects) or std::runtime_error (file or parse failure).
  virtual void load(const std::filesystem::path& model, const RuntimeOptions& options) = 0;
  virtual TensorInfo input() const = 0;
  virtual TensorInfo output() const = 0;
  // The input's layout and pixel convention, as the loaded model declares them (input_spec.hpp).
  virtual InputSpec input_spec() const = 0;
  // One inference on a float32 tensor of input().element_count() values, in the layout input_spec() names; returns
  // the first output, flattened.
  // Throws FieldError("input") when the size is wrong.
  virtual std::vector<float> run(const std::vector<float>& input) = 0;
  // What load() changed so this backend runs the model correctly (e.g. "translated from TFLite to ONNX in memory",
  // "rewrote 3 Clip nodes to OpenCV's attribute form"); empty when the model ran as given.
  virtual std::vector<std::string> adjustments() const { return {}; }
};

// backend: "ort" | "opencv" | "auto" (ort when its library opens on this machine, else opencv). Throws RuntimeRefusal
// for an unknown or absent backend.
std::unique_ptr<Runtime> make_runtime(const std::string& backend);
std::vector<std::string> available_backends();

// Model file format from its bytes: "onnx", "tflite" ("TFL3" at offset 4), "pytorch" (zip or legacy pickle), or
// "unknown". Throws std::runtime_error naming the file when it cannot be read.
std::string detect_format(const std::filesystem::path& model);

}  // namespace edgeml::runtime
