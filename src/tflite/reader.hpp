#pragma once
// Reads a TFLite FlatBuffer into a Model (model.hpp). Every offset, vector and string is checked with flatbuffers'
// Verifier before it is read, and every index (operator code, tensor, buffer) and size (buffer bytes against the
// tensor's shape and type, quantization arrays against the quantized axis) is checked after, so any file -- cut,
// bit-flipped, random or hand-crafted -- gives either a Model whose references all hold or an Error(bad_field,
// field "model") naming what is wrong. It never reads outside `bytes`.
#include <memory>
#include <string_view>

#include "tflite/model.hpp"

namespace edgeml::tflite {

struct ReadLimits {
  size_t max_bytes = size_t{1} << 30;  // 1 GiB: far above any edge model, well below FlatBuffers' 2 GiB limit
};

// `bytes` must stay alive and unchanged while the Model is used (buffer contents are views into it), and must start
// on an 8-byte boundary (FlatBuffer scalars are read in place); import() takes care of both.
Model read_model(std::string_view bytes, const ReadLimits& limits = {});

// A model with its own aligned copy of the bytes, for callers whose bytes are not aligned or not kept alive.
class ModelFile {
 public:
  explicit ModelFile(std::string_view bytes, const ReadLimits& limits = {});
  const Model& model() const { return model_; }

 private:
  std::unique_ptr<uint64_t[]> storage_;
  Model model_;
};

}  // namespace edgeml::tflite
