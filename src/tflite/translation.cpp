#include "tflite/translation.hpp"

#include <cmath>

#include "common/error.hpp"
#include "tflite/tensor_data.hpp"

namespace edgeml::tflite {

using edgeml::onnx::GraphBuilder;

void unsupported(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::unprocessable, "TFLite " + where + ": " + what, "model");
}

void malformed(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::bad_field, "not a valid TFLite model: " + where + ": " + what, "model");
}

Shape shape_of(const Tensor& t) { return Shape(t.shape.begin(), t.shape.end()); }

std::string shape_text(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

Value constant_value(const Model& m, const Tensor& t, const std::string& where) {
  Value v;
  v.shape = shape_of(t);
  v.type = t.type;
  v.constant = true;
  if ((t.type == TensorType::int32 || t.type == TensorType::int64) && !t.quantization) {
    v.integer = true;
    v.ints = integer_values(m, t, where);
  } else {
    v.reals = real_values(m, t, where);
  }
  return v;
}

Translation::Translation(const Model& model) : model_(model), graph_(0), values_(model.tensors.size()) {
  graph_.set_producer("edgeml tflite import");
}

std::string Translation::where(const Operator& op) const {
  return "operator " + std::to_string(op_index) + " (" + op_name(op.builtin_code, op.custom_code) + ")";
}

bool Translation::has_input(const Operator& op, size_t i) const { return i < op.inputs.size() && op.inputs[i] >= 0; }

const Tensor& Translation::input_tensor(const Operator& op, size_t i) const {
  if (!has_input(op, i)) malformed(where(op), "input " + std::to_string(i) + " is missing");
  return model_.tensors[static_cast<size_t>(op.inputs[i])];
}

const Tensor& Translation::output_tensor(const Operator& op, size_t i) const {
  if (i >= op.outputs.size()) malformed(where(op), "output " + std::to_string(i) + " is missing");
  return model_.tensors[static_cast<size_t>(op.outputs[i])];
}

Value& Translation::input(const Operator& op, size_t i) {
  const Tensor& t = input_tensor(op, i);
  auto& slot = values_[static_cast<size_t>(op.inputs[i])];
  if (!slot) {
    if (model_.data_of(t).empty())
      malformed(where(op),
                "reads tensor '" + t.name + "' before any operator writes it (cyclic or out-of-order graph)");
    slot = constant_value(model_, t, where(op));
  }
  return *slot;
}

void Translation::define(int32_t tensor_index, Value v) { values_[static_cast<size_t>(tensor_index)] = std::move(v); }

void Translation::set_output(const Operator& op, size_t i, Value v) {
  const Tensor& t = output_tensor(op, i);
  auto& slot = values_[static_cast<size_t>(op.outputs[i])];
  if (slot || !model_.data_of(t).empty())
    malformed(where(op), "writes tensor '" + t.name + "', which already has a value (cyclic graph or a constant)");
  if (v.shape != shape_of(t))
    malformed(where(op), "output '" + t.name + "' is declared " + shape_text(shape_of(t)) + " but the inputs give " +
                             shape_text(v.shape));
  if (!v.constant && (t.type == TensorType::int8 || t.type == TensorType::uint8 || t.type == TensorType::int16))
    requantize(op, t, v);
  slot = std::move(v);
}

// A quantized activation is carried as its real value; rounding it through the tensor's own scale and zero point
// (QuantizeLinear -> DequantizeLinear) reproduces what the integer kernels store.
void Translation::requantize(const Operator& op, const Tensor& t, Value& v) {
  if (!t.quantization || t.quantization->scale.size() != 1)
    unsupported(where(op),
                "activation '" + t.name + "' is " + type_name(t.type) +
                    " without a single (per-tensor) scale; only per-tensor quantized activations are supported");
  if (t.type == TensorType::int16) unsupported(where(op), "int16 activations are not supported");
  const auto& q = *t.quantization;
  const int64_t zp = q.zero_point.empty() ? 0 : q.zero_point[0];
  const bool is_signed = t.type == TensorType::int8;
  if (zp < (is_signed ? -128 : 0) || zp > (is_signed ? 127 : 255))
    malformed(where(op), "zero point " + std::to_string(zp) + " of '" + t.name + "' is outside " + type_name(t.type));
  if (!(q.scale[0] > 0) || !std::isfinite(q.scale[0]))
    malformed(where(op), "scale of '" + t.name + "' must be a positive finite number");
  const std::string scale = graph_.weights("q_scale", {}, {q.scale[0]});
  const std::string zero = graph_.zero_point("q_zero", zp, is_signed);
  std::string& name = v.nchw.empty() ? v.native : v.nchw;
  if (!v.nchw.empty()) v.native.clear();  // the other view, if any, would skip the rounding
  name = graph_.node("DequantizeLinear", {graph_.node("QuantizeLinear", {name, scale, zero}), scale, zero});
}

namespace {
std::vector<float> transpose_nhwc_to_nchw(const std::vector<float>& x, const Shape& s) {
  const int64_t n = s[0], h = s[1], w = s[2], c = s[3];
  std::vector<float> out(x.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t xx = 0; xx < w; ++xx)
        for (int64_t ch = 0; ch < c; ++ch)
          out[static_cast<size_t>(((b * c + ch) * h + y) * w + xx)] =
              x[static_cast<size_t>(((b * h + y) * w + xx) * c + ch)];
  return out;
}
}  // namespace

std::string Translation::as_native(Value& v) {
  if (!v.native.empty()) return v.native;
  if (v.constant) {
    if (v.integer) {
      v.native = graph_.int64s("const", v.ints);
    } else {
      v.native = graph_.weights("const", v.shape, v.reals);
    }
    return v.native;
  }
  if (v.nchw.empty()) throw std::logic_error("tflite import: value with no ONNX tensor");
  v.native = graph_.node("Transpose", {v.nchw}, {GraphBuilder::ints_attr("perm", {0, 2, 3, 1})});
  return v.native;
}

std::string Translation::as_nchw(Value& v) {
  if (!v.nchw.empty()) return v.nchw;
  if (v.shape.size() != 4) throw std::logic_error("tflite import: NCHW view of a tensor that is not 4-D");
  if (v.constant) return constant_as_nchw(v);
  v.nchw = graph_.node("Transpose", {as_native(v)}, {GraphBuilder::ints_attr("perm", {0, 3, 1, 2})});
  return v.nchw;
}

std::string Translation::constant_as_nchw(Value& v) {
  if (!v.nchw.empty()) return v.nchw;
  if (v.integer || v.shape.size() > 4) throw std::logic_error("tflite import: constant cannot broadcast to NCHW");
  Shape s = v.shape;
  while (s.size() < 4) s.insert(s.begin(), 1);
  v.nchw = graph_.weights("const", {s[0], s[3], s[1], s[2]}, transpose_nhwc_to_nchw(v.reals, s));
  return v.nchw;
}

std::string Translation::clip(const std::string& x, float lo, float hi) {
  // Clip with constant scalar bounds: ONNX Runtime takes it as is; the OpenCV backend's guard moves constant bounds
  // into the attribute form OpenCV 4.6 parses (runtime/opencv_guard.hpp).
  return graph_.node("Clip", {x, graph_.weights("clip_min", {}, {lo}), graph_.weights("clip_max", {}, {hi})});
}

std::string Translation::fused_activation(const std::string& x, schema::Activation act, const std::string& where) {
  switch (act) {
    case schema::Activation::none:
      return x;
    case schema::Activation::relu:
      return graph_.node("Relu", {x});
    case schema::Activation::relu6:
      return clip(x, 0.0f, 6.0f);
    case schema::Activation::relu_n1_to_1:
      return clip(x, -1.0f, 1.0f);
    case schema::Activation::tanh:
      return graph_.node("Tanh", {x});
    default:
      unsupported(where, "fused activation " + std::to_string(static_cast<int>(act)) + " is not supported");
  }
}

}  // namespace edgeml::tflite
