#include "tflite/importer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/error.hpp"
#include "tflite/reader.hpp"
#include "tflite/translation.hpp"

namespace edgeml::tflite {

namespace {

// Input and output keep their TFLite names, unless a name could collide with the builder's own ("t_12").
std::string onnx_name(const std::string& name, const std::string& fallback) {
  if (name.empty()) return fallback;
  const auto underscore = name.rfind('_');
  const bool builder_like = underscore != std::string::npos && underscore + 1 < name.size() &&
                            name.find_first_not_of("0123456789", underscore + 1) == std::string::npos &&
                            name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", 0) >= underscore;
  return builder_like ? "tflite:" + name : name;
}

// The input must be one float tensor; its name, shape and layout are kept so callers feed the model as it is.
std::string declare_input(Translation& t, ImportResult& r) {
  const Model& m = t.model();
  if (m.inputs.size() != 1)
    unsupported("model", "has " + std::to_string(m.inputs.size()) + " inputs; only single-input models are supported");
  const Tensor& in = m.tensors[static_cast<size_t>(m.inputs[0])];
  if (in.type != TensorType::float32)
    unsupported("model", "input '" + in.name + "' is " + type_name(in.type) +
                             " (a fully integer model); only float32 inputs are supported");
  r.input_name = onnx_name(in.name, "input");
  r.input_shape = shape_of(in);
  r.input_layout = in.shape.size() == 4 ? "NHWC" : "flat";
  t.graph().declare_input(r.input_name, r.input_shape);
  Value v;
  v.shape = r.input_shape;
  v.native = r.input_name;
  t.define(m.inputs[0], std::move(v));
  return r.input_name;
}

void count_weight_notes(const Model& m, ImportResult& r) {
  int64_t per_channel = 0, per_tensor = 0, half = 0;
  for (const auto& op : m.operators)
    for (size_t i = 1; i < op.inputs.size(); ++i) {
      if (op.inputs[i] < 0) continue;
      const Tensor& t = m.tensors[static_cast<size_t>(op.inputs[i])];
      if (m.data_of(t).empty()) continue;
      if ((t.type == TensorType::int8 || t.type == TensorType::uint8) && t.quantization)
        ++(t.quantization->scale.size() > 1 ? per_channel : per_tensor);
      if (t.type == TensorType::float16) ++half;
    }
  if (per_channel + per_tensor > 0)
    r.notes.push_back("dequantized " + std::to_string(per_channel + per_tensor) +
                      " integer weight tensors to float32 (" + std::to_string(per_channel) + " per-channel, " +
                      std::to_string(per_tensor) + " per-tensor)");
  if (half > 0) r.notes.push_back("widened " + std::to_string(half) + " float16 weight tensors to float32");
}

// A model that rescales its own input (Keras Rescaling: MUL by a small scalar, then usually ADD) takes raw 0..255
// pixel values; feeding it pre-scaled values squashes the image to a near-constant inside the model.
void find_input_convention(const Model& m, ImportResult& r) {
  for (const auto& md : m.metadata)
    if (md.name == "edgeml.preprocess") {
      r.convention = std::string(md.data.substr(0, md.data.find('\0')));
      r.convention_source = "model metadata (edgeml.preprocess)";
      return;
    }
  const int32_t input = m.inputs.at(0);
  for (const auto& op : m.operators) {
    if (std::find(op.inputs.begin(), op.inputs.end(), input) == op.inputs.end()) continue;
    if (op.builtin_code != schema::builtin::mul || op.inputs.size() != 2) return;
    const Tensor& other = m.tensors[static_cast<size_t>(op.inputs[0] == input ? op.inputs[1] : op.inputs[0])];
    if (other.type != TensorType::float32 || m.data_of(other).size() != sizeof(float)) return;
    float scale;
    std::memcpy(&scale, m.data_of(other).data(), sizeof scale);
    if (scale > 0 && scale <= 1.0f / 100) {
      r.convention = "raw_0_255";
      char text[128];
      std::snprintf(text, sizeof text, "model graph: MUL by %.6g on the input (built-in rescaling of 0..255 pixels)",
                    static_cast<double>(scale));
      r.convention_source = text;
    }
    return;
  }
}

}  // namespace

std::map<std::string, int64_t> unsupported_operators(const Model& model) {
  std::map<std::string, int64_t> out;
  for (const auto& op : model.operators)
    if (!translator_for(op.builtin_code)) ++out[op_name(op.builtin_code, op.custom_code)];
  return out;
}

ImportResult import_model(const Model& model) {
  if (auto refused = unsupported_operators(model); !refused.empty()) {
    std::string list;
    for (const auto& [name, n] : refused) list += (list.empty() ? "" : ", ") + name + " x" + std::to_string(n);
    throw Error(ErrorKind::unprocessable, "TFLite model uses operators this build cannot translate: " + list, "model");
  }
  if (model.outputs.empty()) malformed("model", "the main subgraph has no outputs");
  ImportResult r;
  Translation t(model);
  declare_input(t, r);
  for (size_t k = 0; k < model.operators.size(); ++k) {
    t.op_index = k;
    const Operator& op = model.operators[k];
    translator_for(op.builtin_code)(t, op);
  }
  // The first output is what the runtimes return; every output is declared so the graph stays whole.
  for (size_t k = 0; k < model.outputs.size(); ++k) {
    const Tensor& out = model.tensors[static_cast<size_t>(model.outputs[k])];
    Operator reader;  // a pseudo-operator reading the output, for the Translation's checks and messages
    reader.inputs = {model.outputs[k]};
    t.op_index = model.operators.size();
    Value& v = t.input(reader, 0);
    if (v.constant || v.integer) unsupported("model", "output '" + out.name + "' is a constant");
    const std::string name = onnx_name(out.name, "output:" + std::to_string(k));
    if (name == r.input_name) unsupported("model", "output '" + name + "' is also the input");
    t.graph().node("Identity", {t.as_native(v)}, {}, name);
    t.graph().declare_output(name, v.shape);
    if (k == 0) {
      r.output_name = name;
      r.output_shape = v.shape;
    }
  }
  count_weight_notes(model, r);
  find_input_convention(model, r);
  r.notes.insert(r.notes.end(), t.notes().begin(), t.notes().end());
  r.onnx = t.graph().serialize(model.description.empty() ? "tflite" : model.description,
                               {{"source_format", "tflite"}, {"input_layout", r.input_layout}});
  return r;
}

ImportResult import(std::string_view bytes) {
  // FlatBuffer scalars are read in place: the reader gets an 8-byte aligned copy when the caller's bytes are not.
  if (reinterpret_cast<uintptr_t>(bytes.data()) % 8 == 0) return import_model(read_model(bytes));
  const ModelFile file(bytes);
  return import_model(file.model());
}

}  // namespace edgeml::tflite
