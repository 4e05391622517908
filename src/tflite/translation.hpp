#pragma once
// Internal to the importer: the state of one TFLite -> ONNX translation. Each TFLite tensor becomes a Value that
// knows its TFLite shape and where it lives in the ONNX graph, in TFLite order ("native") and/or, for 4-D
// activations, transposed to NCHW. Constants stay on the host until an op needs them, so small integer tensors
// (shapes, axes) can be folded and weights can be laid out the way the ONNX op wants them.
#include <optional>
#include <string>
#include <vector>

#include "onnx/graph_builder.hpp"
#include "tflite/model.hpp"

namespace edgeml::tflite {

using Shape = std::vector<int64_t>;

struct Value {
  Shape shape;  // TFLite order (NHWC for 4-D)
  TensorType type = TensorType::float32;
  std::string native;  // ONNX name in TFLite order ("" until needed)
  std::string nchw;    // ONNX name transposed to NCHW (4-D only; "" until needed)
  bool constant = false;
  bool integer = false;       // constant holding integers (shapes, axes, paddings)
  std::vector<float> reals;   // constant contents when !integer
  std::vector<int64_t> ints;  // constant contents when integer
};

class Translation {
 public:
  explicit Translation(const Model& model);

  const Model& model() const { return model_; }
  edgeml::onnx::GraphBuilder& graph() { return graph_; }
  std::vector<std::string>& notes() { return notes_; }

  // The value of operator input `i` (throws when absent, or read before any operator wrote it).
  Value& input(const Operator& op, size_t i);
  bool has_input(const Operator& op, size_t i) const;
  const Tensor& input_tensor(const Operator& op, size_t i) const;
  const Tensor& output_tensor(const Operator& op, size_t i) const;
  // Records operator output `i`; checks its shape against the one the file declares.
  void set_output(const Operator& op, size_t i, Value v);
  void define(int32_t tensor_index, Value v);  // graph inputs

  std::string as_native(Value& v);
  std::string as_nchw(Value& v);
  // A constant laid out to broadcast against a 4-D NCHW activation (TFLite broadcasting is numpy's, right-aligned
  // in NHWC order): padded to rank 4 with leading 1s, then transposed.
  std::string constant_as_nchw(Value& v);

  // The ONNX ops for a fused activation applied to `x` (which keeps its layout); returns the new name.
  std::string fused_activation(const std::string& x, schema::Activation act, const std::string& where);
  std::string clip(const std::string& x, float lo, float hi);

  std::string where(const Operator& op) const;  // "operator 12 (CONV_2D)"
  size_t op_index = 0;

 private:
  void requantize(const Operator& op, const Tensor& t, Value& v);

  const Model& model_;
  edgeml::onnx::GraphBuilder graph_;
  std::vector<std::optional<Value>> values_;
  std::vector<std::string> notes_;
};

// A constant Value from a tensor with a buffer (dequantized, or integer contents for int32/int64 tensors).
Value constant_value(const Model& m, const Tensor& t, const std::string& where);
Shape shape_of(const Tensor& t);
std::string shape_text(const Shape& s);
[[noreturn]] void unsupported(const std::string& where, const std::string& what);
[[noreturn]] void malformed(const std::string& where, const std::string& what);

// One function per TFLite operator (op_translators.cpp); nullptr when the operator is not translated.
using Translator = void (*)(Translation& t, const Operator& op);
Translator translator_for(int32_t builtin_code);

}  // namespace edgeml::tflite
