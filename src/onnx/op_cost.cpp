#include "onnx/op_cost.hpp"

#include <onnx/onnx_pb.h>

#include <set>

namespace edgeml::onnx {

namespace {

double numel(const Shape& s) {
  double n = 1;
  for (int64_t d : s) n *= static_cast<double>(d);
  return n;
}

double numel_from(const Shape& s, size_t first) {
  double n = 1;
  for (size_t i = first; i < s.size(); ++i) n *= static_cast<double>(s[i]);
  return n;
}

std::vector<int64_t> ints_attribute(const ::onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return {a.ints().begin(), a.ints().end()};
  return {};
}

int64_t int_attribute(const ::onnx::NodeProto& node, const std::string& name, int64_t fallback) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return a.i();
  return fallback;
}

const std::set<std::string>& elementwise_ops() {
  static const std::set<std::string> ops = {"Add",
                                            "Sub",
                                            "Mul",
                                            "Div",
                                            "Pow",
                                            "Min",
                                            "Max",
                                            "Sum",
                                            "Mean",
                                            "Relu",
                                            "LeakyRelu",
                                            "PRelu",
                                            "Elu",
                                            "Selu",
                                            "Celu",
                                            "Sigmoid",
                                            "HardSigmoid",
                                            "HardSwish",
                                            "Tanh",
                                            "Clip",
                                            "Exp",
                                            "Log",
                                            "Sqrt",
                                            "Abs",
                                            "Neg",
                                            "Reciprocal",
                                            "Erf",
                                            "Softplus",
                                            "Softsign",
                                            "ThresholdedRelu",
                                            "Gelu",
                                            "Mish",
                                            "Sign",
                                            "Floor",
                                            "Ceil",
                                            "Round",
                                            "Mod",
                                            "Where",
                                            "Equal",
                                            "Less",
                                            "LessOrEqual",
                                            "Greater",
                                            "GreaterOrEqual",
                                            "And",
                                            "Or",
                                            "Xor",
                                            "Not",
                                            "Sin",
                                            "Cos",
                                            "Tan",
                                            "Asin",
                                            "Acos",
                                            "Atan",
                                            "Sinh",
                                            "Cosh",
                                            "Asinh",
                                            "Acosh",
                                            "Atanh",
                                            "Shrink",
                                            "BitShift",
                                            "IsNaN",
                                            "IsInf",
                                            "Cast",
                                            "DequantizeLinear",
                                            "QuantizeLinear"};
  return ops;
}

const std::set<std::string>& free_ops() {
  static const std::set<std::string> ops = {"Reshape",
                                            "Flatten",
                                            "Squeeze",
                                            "Unsqueeze",
                                            "Transpose",
                                            "Concat",
                                            "Split",
                                            "Slice",
                                            "Gather",
                                            "GatherND",
                                            "GatherElements",
                                            "Identity",
                                            "Dropout",
                                            "Shape",
                                            "Size",
                                            "Constant",
                                            "ConstantOfShape",
                                            "Expand",
                                            "Tile",
                                            "Pad",
                                            "DepthToSpace",
                                            "SpaceToDepth",
                                            "Range",
                                            "NonZero",
                                            "ScatterND",
                                            "ScatterElements",
                                            "Scatter",
                                            "SequenceConstruct",
                                            "SequenceAt",
                                            "SequenceEmpty",
                                            "SequenceInsert",
                                            "SequenceErase",
                                            "SequenceLength",
                                            "SplitToSequence",
                                            "ConcatFromSequence",
                                            "Optional",
                                            "OptionalGetElement",
                                            "OptionalHasElement",
                                            "CastLike",
                                            "EyeLike",
                                            "OneHot",
                                            "Compress",
                                            "Trilu",
                                            "ReverseSequence"};
  return ops;
}

}  // namespace

OpCost op_cost(const ::onnx::NodeProto& node, const ShapeLookup& shape) {
  const std::string& op = node.op_type();
  OpCost cost;
  auto in = [&](int i) -> std::optional<Shape> {
    if (i >= node.input_size() || node.input(i).empty()) return std::nullopt;
    return shape(node.input(i));
  };
  auto out = [&](int i) -> std::optional<Shape> {
    if (i >= node.output_size() || node.output(i).empty()) return std::nullopt;
    return shape(node.output(i));
  };
  auto unknown = [&](const std::string& what) {
    cost.uncounted_reason = "shape of " + what + " unknown";
    return cost;
  };
  auto macs = [&](double m) {
    cost.macs = m;
    cost.flops = 2 * m;
    return cost;
  };

  if (!node.domain().empty() && node.domain() != "ai.onnx") {
    cost.uncounted_reason = "op " + node.domain() + "." + op + " not modelled";
    return cost;
  }
  if (op == "Conv" || op == "ConvInteger" || op == "QLinearConv") {
    auto w = in(op == "QLinearConv" ? 3 : 1);
    auto y = out(0);
    if (!w || w->size() < 2) return unknown("weights");
    if (!y) return unknown("output");
    return macs(numel(*y) * numel_from(*w, 1));
  }
  if (op == "ConvTranspose") {
    auto x = in(0), w = in(1);
    if (!x) return unknown("input");
    if (!w || w->size() < 2) return unknown("weights");
    return macs(numel(*x) * numel_from(*w, 1));
  }
  if (op == "Gemm") {
    auto a = in(0), y = out(0);
    if (!a || a->size() != 2) return unknown("A");
    if (!y) return unknown("output");
    int64_t k = int_attribute(node, "transA", 0) ? (*a)[0] : (*a)[1];
    return macs(numel(*y) * static_cast<double>(k));
  }
  if (op == "MatMul" || op == "MatMulInteger" || op == "QLinearMatMul") {
    auto a = in(0), y = out(0);
    if (!a || a->empty()) return unknown("A");
    if (!y) return unknown("output");
    return macs(numel(*y) * static_cast<double>(a->back()));
  }
  if (op == "MaxPool" || op == "AveragePool" || op == "LpPool") {
    auto y = out(0);
    if (!y) return unknown("output");
    cost.flops = numel(*y) * numel(ints_attribute(node, "kernel_shape"));
    return cost;
  }
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool" || op == "GlobalLpPool" || op == "ReduceMean" ||
      op == "ReduceSum" || op == "ReduceMax" || op == "ReduceMin") {
    auto x = in(0);
    if (!x) return unknown("input");
    cost.flops = numel(*x);
    return cost;
  }
  if (op == "BatchNormalization" || op == "InstanceNormalization" || op == "LayerNormalization" || op == "Softmax" ||
      op == "LogSoftmax") {
    auto y = out(0);
    if (!y) return unknown("output");
    cost.flops = numel(*y) * ((op == "BatchNormalization") ? 2 : (op == "Softmax" || op == "LogSoftmax") ? 3 : 5);
    return cost;
  }
  if (elementwise_ops().count(op)) {
    auto y = out(0);
    if (!y) return unknown("output");
    cost.flops = numel(*y);
    return cost;
  }
  if (free_ops().count(op)) return cost;
  cost.uncounted_reason = "op " + op + " not modelled";
  return cost;
}

}  // namespace edgeml::onnx
