#include "onnx/graph_builder.hpp"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace edgeml::onnx {

namespace {
constexpr int64_t kIrVersion = 8;
constexpr int64_t kOpset = 14;  // HardSwish needs 14; OpenCV 4.6 parses everything used here at 14

// Node attributes (ONNX stores each with its name and type tag).
void set_int(::onnx::NodeProto* n, const char* name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::INT);
  a->set_i(v);
}
void set_float(::onnx::NodeProto* n, const char* name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void set_ints(::onnx::NodeProto* n, const char* name, std::initializer_list<int64_t> v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::INTS);
  for (int64_t i : v) a->add_ints(i);
}

void set_float_tensor_type(::onnx::ValueInfoProto* v, const std::vector<int64_t>& dims) {
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(::onnx::TensorProto::FLOAT);
  auto* shape = t->mutable_shape();
  for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
}

int64_t conv_out(int64_t in, int64_t k, int64_t stride, int64_t pad, bool ceil_mode) {
  int64_t span = in + 2 * pad - k;
  if (span < 0) throw std::logic_error("graph builder: kernel larger than padded input");
  int64_t steps = ceil_mode ? (span + stride - 1) / stride : span / stride;
  return steps + 1;
}
}  // namespace

uint64_t SeededRng::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

float SeededRng::uniform(float lo, float hi) {
  // 24 random bits -> exactly representable float in [0, 1)
  float unit = static_cast<float>(next() >> 40) * (1.0f / 16777216.0f);
  return lo + (hi - lo) * unit;
}

GraphBuilder::GraphBuilder(uint64_t seed) : model_(std::make_unique<::onnx::ModelProto>()), rng_(seed) {
  graph_ = model_->mutable_graph();
}

GraphBuilder::~GraphBuilder() = default;

std::string GraphBuilder::fresh(const std::string& prefix) { return prefix + "_" + std::to_string(counter_++); }

std::string GraphBuilder::add_weight(const std::string& prefix, const std::vector<int64_t>& dims, float bound) {
  size_t n = 1;
  for (int64_t d : dims) n *= static_cast<size_t>(d);
  std::vector<float> values(n);
  for (float& v : values) v = rng_.uniform(-bound, bound);
  return add_constant(prefix, dims, values);
}

std::string GraphBuilder::add_constant(const std::string& prefix, const std::vector<int64_t>& dims,
                                       const std::vector<float>& values) {
  auto* t = graph_->add_initializer();
  std::string name = fresh(prefix);
  t->set_name(name);
  t->set_data_type(::onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  // raw_data is little-endian float32 by the ONNX spec; this builder targets little-endian hosts (x86-64, aarch64).
  std::string raw(values.size() * sizeof(float), '\0');
  if (!values.empty()) std::memcpy(raw.data(), values.data(), raw.size());
  t->set_raw_data(std::move(raw));
  return name;
}

::onnx::NodeProto* GraphBuilder::add_node(const std::string& op, const std::vector<std::string>& inputs,
                                          const std::vector<std::string>& outputs) {
  auto* n = graph_->add_node();
  n->set_op_type(op);
  n->set_name(op + "_" + std::to_string(counter_++));
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return n;
}

Tensor GraphBuilder::input(int64_t c, int64_t h, int64_t w) {
  auto* in = graph_->add_input();
  in->set_name("input");
  set_float_tensor_type(in, {1, c, h, w});
  return {"input", c, h, w};
}

Tensor GraphBuilder::conv(const Tensor& x, int64_t out_c, int64_t k, int64_t stride, int64_t groups, bool bias,
                          int64_t pad) {
  if (pad < 0) pad = (k - 1) / 2;
  if (x.c % groups != 0 || out_c % groups != 0)
    throw std::logic_error("graph builder: channels not divisible by groups");
  int64_t fan_in = (x.c / groups) * k * k;
  // He-uniform (kaiming_uniform with gain sqrt(2)): variance 2 / fan_in keeps ReLU activations at a steady scale.
  float bound = std::sqrt(6.0f / static_cast<float>(fan_in));
  std::vector<std::string> inputs{x.name, add_weight("conv_w", {out_c, x.c / groups, k, k}, bound)};
  if (bias) inputs.push_back(add_weight("conv_b", {out_c}, 1.0f / std::sqrt(static_cast<float>(fan_in))));
  Tensor y{fresh("t"), out_c, conv_out(x.h, k, stride, pad, false), conv_out(x.w, k, stride, pad, false)};
  auto* n = add_node("Conv", inputs, {y.name});
  set_ints(n, "kernel_shape", {k, k});
  set_ints(n, "strides", {stride, stride});
  set_ints(n, "pads", {pad, pad, pad, pad});
  set_int(n, "group", groups);
  return y;
}

Tensor GraphBuilder::batch_norm(const Tensor& x, float gamma_scale) {
  std::vector<float> gamma(x.c), beta(x.c), mean(x.c), var(x.c);
  for (int64_t i = 0; i < x.c; ++i) {
    gamma[i] = rng_.uniform(0.5f, 1.0f) * gamma_scale;
    beta[i] = rng_.uniform(-0.1f, 0.1f);
    mean[i] = rng_.uniform(-0.1f, 0.1f);
    var[i] = rng_.uniform(0.9f, 1.1f);
  }
  std::string s = add_constant("bn_gamma", {x.c}, gamma), b = add_constant("bn_beta", {x.c}, beta);
  std::string m = add_constant("bn_mean", {x.c}, mean), v = add_constant("bn_var", {x.c}, var);
  Tensor y{fresh("t"), x.c, x.h, x.w};
  auto* n = add_node("BatchNormalization", {x.name, s, b, m, v}, {y.name});
  set_float(n, "epsilon", 1e-5f);
  return y;
}

Tensor GraphBuilder::unary(const std::string& op, const Tensor& x) {
  Tensor y{fresh("t"), x.c, x.h, x.w};
  add_node(op, {x.name}, {y.name});
  return y;
}

Tensor GraphBuilder::activation(const Tensor& x, Act act) {
  switch (act) {
    case Act::none:
      return x;
    case Act::relu:
      return unary("Relu", x);
    case Act::relu6: {
      // relu6(x) = 6 * HardSigmoid(x; alpha 1/6, beta 0) = 6 * clip(x / 6, 0, 1). See the header for why not Clip
      // or Min(x, 6) (OpenCV 4.6 parses neither with a constant input); the gate-first Mul avoids its HardSwish
      // fusion. The constant has shape [1] because OpenCV reads rank-0 tensors as empty.
      Tensor h = hard_sigmoid(x, 1.0f / 6.0f, 0.0f);
      auto it = scalar_constants_.find(6.0f);
      if (it == scalar_constants_.end()) it = scalar_constants_.emplace(6.0f, add_constant("six", {1}, {6.0f})).first;
      Tensor y{fresh("t"), x.c, x.h, x.w};
      add_node("Mul", {h.name, it->second}, {y.name});
      return y;
    }
    case Act::hard_swish:
      return unary("HardSwish", x);
    case Act::swish: {
      Tensor s = unary("Sigmoid", x);
      Tensor y{fresh("t"), x.c, x.h, x.w};
      add_node("Mul", {x.name, s.name}, {y.name});
      return y;
    }
  }
  throw std::logic_error("graph builder: unknown activation");
}

Tensor GraphBuilder::hard_sigmoid(const Tensor& x, float alpha, float beta) {
  Tensor y{fresh("t"), x.c, x.h, x.w};
  auto* n = add_node("HardSigmoid", {x.name}, {y.name});
  set_float(n, "alpha", alpha);
  set_float(n, "beta", beta);
  return y;
}

Tensor GraphBuilder::sigmoid(const Tensor& x) { return unary("Sigmoid", x); }

Tensor GraphBuilder::add(const Tensor& a, const Tensor& b) {
  if (a.c != b.c || a.h != b.h || a.w != b.w) throw std::logic_error("graph builder: Add of different shapes");
  Tensor y{fresh("t"), a.c, a.h, a.w};
  add_node("Add", {a.name, b.name}, {y.name});
  return y;
}

Tensor GraphBuilder::gate(const Tensor& g, const Tensor& x) {
  if (g.c != x.c || g.h != 1 || g.w != 1) throw std::logic_error("graph builder: gate must be [1,c,1,1]");
  Tensor y{fresh("t"), x.c, x.h, x.w};
  add_node("Mul", {g.name, x.name}, {y.name});
  return y;
}

Tensor GraphBuilder::concat(const std::vector<Tensor>& parts) {
  Tensor y{fresh("t"), 0, parts.at(0).h, parts.at(0).w};
  std::vector<std::string> names;
  for (const auto& p : parts) {
    if (p.h != y.h || p.w != y.w) throw std::logic_error("graph builder: Concat of different spatial sizes");
    y.c += p.c;
    names.push_back(p.name);
  }
  auto* n = add_node("Concat", names, {y.name});
  set_int(n, "axis", 1);
  return y;
}

std::pair<Tensor, Tensor> GraphBuilder::split_half(const Tensor& x) {
  if (x.c % 2 != 0) throw std::logic_error("graph builder: split_half of odd channels");
  Tensor a{fresh("t"), x.c / 2, x.h, x.w}, b{fresh("t"), x.c / 2, x.h, x.w};
  auto* n = add_node("Split", {x.name}, {a.name, b.name});
  set_int(n, "axis", 1);
  return {a, b};
}

Tensor GraphBuilder::channel_shuffle(const Tensor& x, int64_t groups) {
  // Reshape [1, g, c/g, h, w] -> Transpose(0,2,1,3,4) -> Reshape [1, c, h, w], as torchvision's channel_shuffle.
  auto int_tensor = [&](const std::vector<int64_t>& v) {
    auto* t = graph_->add_initializer();
    t->set_name(fresh("shape"));
    t->set_data_type(::onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(v.size()));
    for (int64_t i : v) t->add_int64_data(i);
    return t->name();
  };
  std::string five = fresh("t"), swapped = fresh("t");
  add_node("Reshape", {x.name, int_tensor({1, groups, x.c / groups, x.h, x.w})}, {five});
  auto* tr = add_node("Transpose", {five}, {swapped});
  set_ints(tr, "perm", {0, 2, 1, 3, 4});
  Tensor y{fresh("t"), x.c, x.h, x.w};
  add_node("Reshape", {swapped, int_tensor({1, x.c, x.h, x.w})}, {y.name});
  return y;
}

Tensor GraphBuilder::max_pool(const Tensor& x, int64_t k, int64_t stride, int64_t pad, bool ceil_mode) {
  Tensor y{fresh("t"), x.c, conv_out(x.h, k, stride, pad, ceil_mode), conv_out(x.w, k, stride, pad, ceil_mode)};
  auto* n = add_node("MaxPool", {x.name}, {y.name});
  set_ints(n, "kernel_shape", {k, k});
  set_ints(n, "strides", {stride, stride});
  set_ints(n, "pads", {pad, pad, pad, pad});
  if (ceil_mode) {
    set_int(n, "ceil_mode", 1);
  }
  return y;
}

Tensor GraphBuilder::global_avg_pool(const Tensor& x) {
  Tensor y{fresh("t"), x.c, 1, 1};
  add_node("GlobalAveragePool", {x.name}, {y.name});
  return y;
}

std::string GraphBuilder::flatten(const Tensor& x, const std::string& out) {
  auto* f = add_node("Flatten", {x.name}, {out});
  set_int(f, "axis", 1);
  return out;
}

void GraphBuilder::declare_output(const std::string& name, int64_t classes) {
  auto* out = graph_->add_output();
  out->set_name(name);
  set_float_tensor_type(out, {1, classes});
}

void GraphBuilder::classifier(const Tensor& x, int64_t classes) {
  std::string flat = flatten(x, fresh("t"));
  int64_t fan_in = x.c * x.h * x.w;
  float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));  // torch nn.Linear's default range
  std::string w = add_weight("fc_w", {classes, fan_in}, bound), b = add_weight("fc_b", {classes}, bound);
  auto* g = add_node("Gemm", {flat, w, b}, {"logits"});
  set_int(g, "transB", 1);
  declare_output("logits", classes);
}

void GraphBuilder::flatten_output(const Tensor& x) {
  if (x.h != 1 || x.w != 1) throw std::logic_error("graph builder: flatten_output needs [1,c,1,1]");
  flatten(x, "logits");
  declare_output("logits", x.c);
}

GraphBuilder::Attribute GraphBuilder::int_attr(std::string name, int64_t v) {
  Attribute a;
  a.name = std::move(name);
  a.kind = Attribute::Kind::int_value;
  a.i = v;
  return a;
}

GraphBuilder::Attribute GraphBuilder::float_attr(std::string name, float v) {
  Attribute a;
  a.name = std::move(name);
  a.kind = Attribute::Kind::float_value;
  a.f = v;
  return a;
}

GraphBuilder::Attribute GraphBuilder::ints_attr(std::string name, std::vector<int64_t> v) {
  Attribute a;
  a.name = std::move(name);
  a.kind = Attribute::Kind::ints;
  a.ints = std::move(v);
  return a;
}

void GraphBuilder::declare_input(const std::string& name, const std::vector<int64_t>& dims) {
  auto* in = graph_->add_input();
  in->set_name(name);
  set_float_tensor_type(in, dims);
}

void GraphBuilder::declare_output(const std::string& name, const std::vector<int64_t>& dims) {
  auto* out = graph_->add_output();
  out->set_name(name);
  set_float_tensor_type(out, dims);
}

std::string GraphBuilder::weights(const std::string& prefix, const std::vector<int64_t>& dims,
                                  const std::vector<float>& values) {
  size_t n = 1;
  for (int64_t d : dims) n *= static_cast<size_t>(d);
  if (n != values.size()) throw std::logic_error("graph builder: " + prefix + " has the wrong number of values");
  return add_constant(prefix, dims, values);
}

std::string GraphBuilder::int64s(const std::string& prefix, const std::vector<int64_t>& values) {
  auto* t = graph_->add_initializer();
  t->set_name(fresh(prefix));
  t->set_data_type(::onnx::TensorProto::INT64);
  t->add_dims(static_cast<int64_t>(values.size()));
  for (int64_t v : values) t->add_int64_data(v);
  return t->name();
}

std::string GraphBuilder::zero_point(const std::string& prefix, int64_t value, bool is_signed) {
  auto* t = graph_->add_initializer();
  t->set_name(fresh(prefix));
  t->set_data_type(is_signed ? ::onnx::TensorProto::INT8 : ::onnx::TensorProto::UINT8);
  t->add_int32_data(static_cast<int32_t>(value));  // ONNX stores 8-bit integers in int32_data
  return t->name();
}

std::string GraphBuilder::node(const std::string& op, const std::vector<std::string>& inputs,
                               const std::vector<Attribute>& attributes, const std::string& output) {
  const std::string out = output.empty() ? fresh("t") : output;
  auto* n = add_node(op, inputs, {out});
  for (const auto& a : attributes) {
    switch (a.kind) {
      case Attribute::Kind::int_value:
        set_int(n, a.name.c_str(), a.i);
        break;
      case Attribute::Kind::float_value:
        set_float(n, a.name.c_str(), a.f);
        break;
      case Attribute::Kind::ints: {
        auto* attr = n->add_attribute();
        attr->set_name(a.name);
        attr->set_type(::onnx::AttributeProto::INTS);
        for (int64_t v : a.ints) attr->add_ints(v);
        break;
      }
    }
  }
  return out;
}

std::string GraphBuilder::serialize(const std::string& graph_name,
                                    const std::vector<std::pair<std::string, std::string>>& metadata) {
  model_->set_ir_version(kIrVersion);
  model_->set_producer_name(producer_);
  model_->set_producer_version("1");
  auto* op = model_->add_opset_import();
  op->set_domain("");
  op->set_version(kOpset);
  graph_->set_name(graph_name);
  for (const auto& [k, v] : metadata) {
    auto* p = model_->add_metadata_props();
    p->set_key(k);
    p->set_value(v);
  }
  std::string out;
  if (!model_->SerializeToString(&out)) throw std::runtime_error("graph builder: cannot serialize " + graph_name);
  return out;
}

}  // namespace edgeml::onnx
