// Model file format from its bytes (which formats run is model_source.cpp's business).
#include "onnx/model_format.hpp"

#include "common/files.hpp"
#include "runtime/runtime.hpp"

namespace edgeml::runtime {

std::string detect_format(const std::filesystem::path& model) {
  // One detector for the whole project (src/onnx): it needs the whole file, since a PyTorch zip is recognised by its
  // central directory at the end.
  return edgeml::onnx::to_string(edgeml::onnx::detect_format(edgeml::read_file(model)));
}

}  // namespace edgeml::runtime
