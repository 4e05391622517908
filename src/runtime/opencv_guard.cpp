#include "runtime/opencv_guard.hpp"

#include <cstring>
#include <map>
#include <optional>

#include "runtime/runtime.hpp"

namespace edgeml::runtime {

namespace {

std::string node_label(const ::onnx::NodeProto& node) {
  return node.op_type() + " node '" + (node.name().empty() ? node.output(0) : node.name()) + "'";
}

bool is_default_domain(const ::onnx::NodeProto& node) { return node.domain().empty() || node.domain() == "ai.onnx"; }

// The single value of a float/double scalar tensor, or nullopt when it is anything else.
std::optional<float> scalar_value(const ::onnx::TensorProto& t) {
  if (t.data_location() == ::onnx::TensorProto::EXTERNAL) return std::nullopt;
  int64_t count = 1;
  for (int64_t d : t.dims()) count *= d;
  if (count != 1) return std::nullopt;
  if (t.data_type() == ::onnx::TensorProto::FLOAT) {
    if (t.float_data_size() == 1) return t.float_data(0);
    if (t.raw_data().size() == sizeof(float)) {
      float v;
      std::memcpy(&v, t.raw_data().data(), sizeof v);
      return v;
    }
  } else if (t.data_type() == ::onnx::TensorProto::DOUBLE) {
    if (t.double_data_size() == 1) return static_cast<float>(t.double_data(0));
    if (t.raw_data().size() == sizeof(double)) {
      double v;
      std::memcpy(&v, t.raw_data().data(), sizeof v);
      return static_cast<float>(v);
    }
  }
  return std::nullopt;
}

// Tensors whose value is known before running: initializers and outputs of Constant nodes.
std::map<std::string, const ::onnx::TensorProto*> constant_tensors(const ::onnx::GraphProto& graph) {
  std::map<std::string, const ::onnx::TensorProto*> constants;
  for (const auto& init : graph.initializer()) constants[init.name()] = &init;
  for (const auto& node : graph.node()) {
    if (node.op_type() != "Constant" || !is_default_domain(node) || node.output_size() != 1) continue;
    for (const auto& attr : node.attribute())
      if (attr.name() == "value" && attr.has_t()) constants[node.output(0)] = &attr.t();
  }
  return constants;
}

void set_float_attribute(::onnx::NodeProto& node, const std::string& name, float value) {
  for (auto& attr : *node.mutable_attribute()) {
    if (attr.name() == name) {
      attr.set_type(::onnx::AttributeProto::FLOAT);
      attr.set_f(value);
      return;
    }
  }
  auto* attr = node.add_attribute();
  attr->set_name(name);
  attr->set_type(::onnx::AttributeProto::FLOAT);
  attr->set_f(value);
}

// Clip(x, min, max) -> Clip(x) {min, max}. Returns whether the node was rewritten.
bool rewrite_clip(::onnx::NodeProto& node, const std::map<std::string, const ::onnx::TensorProto*>& constants) {
  if (node.input_size() <= 1) return false;
  static const char* bound_names[] = {"", "min", "max"};
  std::vector<std::pair<std::string, float>> bounds;
  for (int i = 1; i < node.input_size() && i <= 2; ++i) {
    const std::string& in = node.input(i);
    if (in.empty()) continue;  // optional bound left out
    auto it = constants.find(in);
    std::optional<float> value = it == constants.end() ? std::nullopt : scalar_value(*it->second);
    if (!value)
      throw RuntimeRefusal("OpenCV 4.6 cannot parse Clip with min/max inputs, and " + node_label(node) + " takes its " +
                           bound_names[i] + " from '" + in +
                           "', which is not a constant scalar, so it cannot be "
                           "rewritten to the attribute form");
    bounds.emplace_back(bound_names[i], *value);
  }
  node.mutable_input()->DeleteSubrange(1, node.input_size() - 1);
  for (auto& [name, value] : bounds) set_float_attribute(node, name, value);
  return true;
}

// OpenCV 4.6 requires Conv's kernel_shape attribute, which ONNX makes optional (it is the weight's spatial dims).
bool add_conv_kernel_shape(::onnx::NodeProto& node, const ::onnx::GraphProto& graph) {
  for (const auto& attr : node.attribute())
    if (attr.name() == "kernel_shape") return false;
  if (node.input_size() < 2) return false;
  for (const auto& init : graph.initializer()) {
    if (init.name() != node.input(1) || init.dims_size() < 3) continue;
    auto* attr = node.add_attribute();
    attr->set_name("kernel_shape");
    attr->set_type(::onnx::AttributeProto::INTS);
    for (int i = 2; i < init.dims_size(); ++i) attr->add_ints(init.dims(i));
    return true;
  }
  return false;  // weights computed at run time: left to OpenCV, which refuses with its own message
}

}  // namespace

bool has_external_initializers(const ::onnx::ModelProto& model) {
  for (const auto& init : model.graph().initializer())
    if (init.data_location() == ::onnx::TensorProto::EXTERNAL) return true;
  for (const auto& node : model.graph().node())
    for (const auto& attr : node.attribute())
      if (attr.has_t() && attr.t().data_location() == ::onnx::TensorProto::EXTERNAL) return true;
  return false;
}

std::vector<std::string> prepare_for_opencv(::onnx::ModelProto& model) {
  if (has_external_initializers(model))
    throw RuntimeRefusal("model keeps tensors in external data, which crashes OpenCV 4.6 (SIGFPE); inline it first");

  auto* graph = model.mutable_graph();
  const auto constants = constant_tensors(*graph);
  std::map<std::string, const ::onnx::NodeProto*> producer;
  for (const auto& node : graph->node())
    for (const auto& out : node.output()) producer[out] = &node;
  auto produced_by_hardsigmoid = [&](const std::string& tensor) {
    auto it = producer.find(tensor);
    return it != producer.end() && it->second->op_type() == "HardSigmoid" && is_default_domain(*it->second);
  };

  int clips = 0, muls = 0, convs = 0;
  for (auto& node : *graph->mutable_node()) {
    if (!is_default_domain(node)) continue;
    if (node.op_type() == "QuantizeLinear" || node.op_type() == "DequantizeLinear")
      throw RuntimeRefusal("OpenCV 4.6 computes " + node_label(node) +
                           " wrongly in a float graph (it runs quantize/dequantize only inside its own int8 networks): "
                           "use the ort backend for models with quantized activations");
    if (node.op_type() == "Clip" && rewrite_clip(node, constants)) ++clips;
    if (node.op_type() == "Conv" && add_conv_kernel_shape(node, *graph)) ++convs;
    if (node.op_type() == "Mul" && node.input_size() == 2 && produced_by_hardsigmoid(node.input(1))) {
      if (produced_by_hardsigmoid(node.input(0)))
        throw RuntimeRefusal("OpenCV 4.6 fuses Mul(x, HardSigmoid(...)) into HardSwish wrongly, and " +
                             node_label(node) +
                             " multiplies two HardSigmoid outputs, so swapping its inputs "
                             "cannot avoid it");
      std::string first = node.input(0);
      node.set_input(0, node.input(1));
      node.set_input(1, first);
      ++muls;
    }
  }
  std::vector<std::string> done;
  if (clips)
    done.push_back("rewrote " + std::to_string(clips) +
                   " Clip node(s) with constant min/max inputs to the attribute form OpenCV 4.6 parses");
  if (muls)
    done.push_back("swapped the inputs of " + std::to_string(muls) +
                   " Mul(x, HardSigmoid) node(s) so OpenCV 4.6 does not fuse them into a wrong HardSwish");
  if (convs)
    done.push_back("added the optional kernel_shape attribute OpenCV 4.6 requires to " + std::to_string(convs) +
                   " Conv node(s)");
  return done;
}

}  // namespace edgeml::runtime
