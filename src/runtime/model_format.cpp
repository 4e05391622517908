// Model file format from its leading bytes. Only ONNX has a runtime here; TFLite and PyTorch files are stored and
// served but refused when asked to run.
#include "onnx/model_format.hpp"

#include "common/files.hpp"
#include "runtime/runtime.hpp"

namespace edgeml::runtime {

std::string detect_format(const std::filesystem::path& model) {
  // One detector for the whole project (src/onnx), reading only the parts of the file that decide the format.
  return edgeml::onnx::to_string(edgeml::onnx::detect_file_format(model));
}

void require_onnx(const std::filesystem::path& model) {
  const std::string format = detect_format(model);
  if (format == "onnx") return;
  if (format == "unknown") throw RuntimeRefusal(model.filename().string() + " is not a model format this build knows");
  throw RuntimeRefusal("no runtime for " + format + " in this build");
}

}  // namespace edgeml::runtime
