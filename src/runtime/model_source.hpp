#pragma once
// What a backend loads: the model file's format, the ONNX graph to run (a TFLite file is translated in memory by
// src/tflite; an ONNX file is used as it is, from its path, so external data resolves), and the input spec the
// model declares. PyTorch files and unknown formats are refused here, with the way out.
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/input_spec.hpp"

namespace edgeml::runtime {

struct ModelSource {
  std::string format;                // "onnx" | "tflite"
  std::filesystem::path path;        // the file as given
  std::string translated_onnx;       // the ONNX graph when the file is not ONNX itself; empty for ONNX files
  std::vector<int64_t> input_shape;  // as the model declares it
  InputSpec input_spec;
  std::vector<std::string> notes;  // what the translation did (e.g. "dequantized 47 int8 weight tensors ...")
};

// Throws RuntimeRefusal for formats with no runtime (PyTorch: export to ONNX; unknown), edgeml::Error for a TFLite
// file the importer rejects (corrupt: bad_field; unsupported operator: unprocessable, naming it), and
// std::runtime_error naming the file when it cannot be read or parsed.
ModelSource open_model(const std::filesystem::path& path);

}  // namespace edgeml::runtime
