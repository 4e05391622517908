// Model file format from its bytes (which formats run is model_source.cpp's business).
#include "onnx/model_format.hpp"

#include "common/files.hpp"
#include "runtime/runtime.hpp"

namespace edgeml::runtime {

std::string detect_format(const std::filesystem::path& model) {
  // One detector for the whole project (src/onnx), reading only the parts of the file that decide the format.
  return edgeml::onnx::to_string(edgeml::onnx::detect_file_format(model));
}

}  // namespace edgeml::runtime
