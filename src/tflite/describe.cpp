#include "tflite/describe.hpp"

#include <set>

#include "tflite/importer.hpp"

namespace edgeml::tflite {

namespace {

double numel(const Tensor& t) {
  double n = 1;
  for (int32_t d : t.shape) n *= d;
  return n;
}

bool has_weights(int32_t code) {
  namespace b = schema::builtin;
  return code == b::conv_2d || code == b::depthwise_conv_2d || code == b::fully_connected ||
         code == 67;  // 67 TRANSPOSE_CONV
}

bool elementwise(int32_t code) {
  namespace b = schema::builtin;
  static const std::set<int32_t> ops = {
      b::add,       b::sub,           b::mul,           b::logistic,         b::relu,
      b::relu6,     b::hard_swish,    b::tanh,          b::dequantize,       b::quantize,
      42 /* DIV */, 55 /* MAXIMUM */, 57 /* MINIMUM */, 98 /* LEAKY_RELU */, 54 /* PRELU */};
  return ops.count(code) > 0;
}

}  // namespace

ModelFacts describe(const Model& m) {
  namespace b = schema::builtin;
  ModelFacts f;
  auto tensor = [&](int32_t index) -> const Tensor* {
    return index >= 0 && static_cast<size_t>(index) < m.tensors.size() ? &m.tensors[static_cast<size_t>(index)]
                                                                       : nullptr;
  };
  if (!m.inputs.empty()) {
    const Tensor& in = *tensor(m.inputs[0]);
    f.input_name = in.name;
    f.input_type = type_name(in.type);
    f.input_shape.assign(in.shape.begin(), in.shape.end());
    if (m.inputs.size() > 1)
      f.notes.push_back("model has " + std::to_string(m.inputs.size()) + " inputs; the first is shown");
  }
  if (!m.outputs.empty()) {
    const Tensor& out = *tensor(m.outputs[0]);
    f.output_name = out.name;
    f.output_shape.assign(out.shape.begin(), out.shape.end());
  }
  std::set<int32_t> counted;  // a weight shared by two operators is one set of parameters
  for (const auto& op : m.operators) {
    ++f.ops[op_name(op.builtin_code, op.custom_code)];
    const Tensor* out = op.outputs.empty() ? nullptr : tensor(op.outputs[0]);
    const Tensor* in = op.inputs.empty() ? nullptr : tensor(op.inputs[0]);
    if (has_weights(op.builtin_code)) {
      for (size_t i = 1; i < op.inputs.size(); ++i) {
        const Tensor* w = tensor(op.inputs[i]);
        if (!w || m.data_of(*w).empty() || !counted.insert(op.inputs[i]).second) continue;
        f.params += static_cast<int64_t>(numel(*w));
        f.weight_types[type_name(w->type)] += static_cast<int64_t>(numel(*w));
      }
      const Tensor* w = op.inputs.size() > 1 ? tensor(op.inputs[1]) : nullptr;
      if (out && w && w->shape.size() >= 2) {
        double per_output = 0;
        if (op.builtin_code == b::conv_2d && w->shape.size() == 4)
          per_output = static_cast<double>(w->shape[1]) * w->shape[2] * w->shape[3];
        else if (op.builtin_code == b::depthwise_conv_2d && w->shape.size() == 4)
          per_output = static_cast<double>(w->shape[1]) * w->shape[2];
        else if (op.builtin_code == b::fully_connected)
          per_output = w->shape.back();
        else
          f.notes.push_back("MACs of " + op_name(op.builtin_code) + " not counted");
        f.macs += numel(*out) * per_output;
        f.flops += 2 * numel(*out) * per_output;
      }
    } else if (out && elementwise(op.builtin_code)) {
      f.flops += numel(*out);
    } else if (out && (op.builtin_code == b::average_pool_2d || op.builtin_code == b::max_pool_2d)) {
      f.flops += numel(*out) * op.options.filter_w * op.options.filter_h;
    } else if (in && op.builtin_code == b::mean) {
      f.flops += numel(*in);
    } else if (out && op.builtin_code == b::softmax) {
      f.flops += 3 * numel(*out);
    }
    if (out && op.options.activation != schema::Activation::none) f.flops += numel(*out);
  }
  f.unsupported = unsupported_operators(m);
  if (m.subgraph_count > 1)
    f.notes.push_back(std::to_string(m.subgraph_count - 1) + " further subgraph(s) (control flow) not counted");
  return f;
}

}  // namespace edgeml::tflite
