#pragma once
// Writes an ONNX image classifier one layer at a time, tracking each activation's shape (batch 1, NCHW) so the
// architecture files read like the PyTorch modules they reproduce. Weights come from a seeded PRNG, so the same
// seed and the same calls give byte-identical models.
//
// Operator forms are chosen so that both ONNX Runtime and OpenCV 4.6 DNN run the graphs correctly
// (../shared/notes/dependencies.md section 4):
//   - ReLU6 is Mul(HardSigmoid(x; alpha 1/6, beta 0), 6): opset >= 11 Clip takes min/max as inputs, which
//     OpenCV 4.6 cannot parse, and 4.6 also rejects Min/Max with a constant input (eltwise needs 2 tensors).
//     It equals ReLU6 up to one float rounding of x / 6 * 6.
//   - Gated products are written gate first, Mul(gate, x): OpenCV 4.6 wrongly fuses Mul(x, HardSigmoid(..)).
//   - Hard-swish is the HardSwish operator (opset 14); swish is Mul(x, Sigmoid(x)) on the same tensor.
//   Checked once by hand (all 16 zoo graphs on ONNX Runtime and OpenCV 4.6, same input: logits agree to a
//   relative 1e-6); the runtime part's backend-comparison tests are where it is enforced.
//   - BatchNormalization stays explicit (both runtimes fold it), so the inspector can count gamma/beta as
//     parameters and running mean/var as buffers, as timm and torchvision do.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace onnx {
class ModelProto;
class GraphProto;
class NodeProto;
}  // namespace onnx

namespace edgeml::onnx {

// An activation in the graph being built: its tensor name and its shape [1, c, h, w].
struct Tensor {
  std::string name;
  int64_t c = 0, h = 0, w = 0;
};

// splitmix64: tiny, fast, and identical on every platform, so weights do not depend on the standard library.
class SeededRng {
 public:
  explicit SeededRng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  float uniform(float lo, float hi);  // [lo, hi)

 private:
  uint64_t state_;
};

enum class Act { none, relu, relu6, hard_swish, swish };

class GraphBuilder {
 public:
  explicit GraphBuilder(uint64_t seed);
  ~GraphBuilder();
  GraphBuilder(const GraphBuilder&) = delete;
  GraphBuilder& operator=(const GraphBuilder&) = delete;

  // The graph input "input" [1, c, h, w] (float).
  Tensor input(int64_t c, int64_t h, int64_t w);

  // Conv with He-uniform weights. pad < 0 means (k - 1) / 2 (timm/torchvision "same" for odd k).
  Tensor conv(const Tensor& x, int64_t out_c, int64_t k, int64_t stride = 1, int64_t groups = 1, bool bias = false,
              int64_t pad = -1);
  // BatchNormalization (eps 1e-5). gamma is drawn from [0.5, 1) * gamma_scale; a small scale on the last norm of a
  // residual branch keeps activations of deep residual stacks in a sane range with random weights.
  Tensor batch_norm(const Tensor& x, float gamma_scale = 1.0f);
  Tensor activation(const Tensor& x, Act act);
  // max(0, min(1, alpha * x + beta)); the defaults give timm's hard_sigmoid, relu6(x + 3) / 6.
  Tensor hard_sigmoid(const Tensor& x, float alpha = 1.0f / 6.0f, float beta = 0.5f);
  Tensor sigmoid(const Tensor& x);
  Tensor add(const Tensor& a, const Tensor& b);
  Tensor gate(const Tensor& gate, const Tensor& x);       // Mul(gate, x), gate [1,c,1,1] first (see above)
  Tensor concat(const std::vector<Tensor>& parts);        // along channels
  std::pair<Tensor, Tensor> split_half(const Tensor& x);  // channels in two equal halves (Split, no split input)
  Tensor channel_shuffle(const Tensor& x, int64_t groups);
  Tensor max_pool(const Tensor& x, int64_t k, int64_t stride, int64_t pad, bool ceil_mode = false);
  Tensor global_avg_pool(const Tensor& x);
  // Flatten + Gemm (weights [classes, c], bias) into the graph output "logits" [1, classes].
  void classifier(const Tensor& x, int64_t classes);
  // Flatten x [1, c, 1, 1] into the graph output "logits" [1, c] (for nets whose classifier is a conv).
  void flatten_output(const Tensor& x);

  // Generic building, for importers that bring their own weights and shapes (src/tflite): tensors are plain names,
  // shapes are whatever the caller tracks.
  struct Attribute {
    std::string name;
    enum class Kind { int_value, float_value, ints } kind = Kind::int_value;
    int64_t i = 0;
    float f = 0;
    std::vector<int64_t> ints;
  };
  static Attribute int_attr(std::string name, int64_t v);
  static Attribute float_attr(std::string name, float v);
  static Attribute ints_attr(std::string name, std::vector<int64_t> v);
  void declare_input(const std::string& name, const std::vector<int64_t>& dims);   // float
  void declare_output(const std::string& name, const std::vector<int64_t>& dims);  // float
  // A float initializer holding exactly `values` (row-major over dims); returns its name.
  std::string weights(const std::string& prefix, const std::vector<int64_t>& dims, const std::vector<float>& values);
  // Seeded placeholder weights, uniform in [-bound, bound) (for architectures written with the generic calls).
  std::string seeded_weights(const std::string& prefix, const std::vector<int64_t>& dims, float bound) {
    return add_weight(prefix, dims, bound);
  }
  // A 1-D int64 initializer (shapes, axes, pads); returns its name.
  std::string int64s(const std::string& prefix, const std::vector<int64_t>& values);
  // A scalar int8 or uint8 initializer: the zero point of QuantizeLinear/DequantizeLinear, whose type sets theirs.
  std::string zero_point(const std::string& prefix, int64_t value, bool is_signed);
  // One node with one output; returns the output's name (`output` when given, else a fresh one).
  std::string node(const std::string& op, const std::vector<std::string>& inputs,
                   const std::vector<Attribute>& attributes = {}, const std::string& output = "");
  void set_producer(std::string name) { producer_ = std::move(name); }

  // Serialized ModelProto (IR 8, opset 14) with the given metadata_props, in insertion order.
  std::string serialize(const std::string& graph_name,
                        const std::vector<std::pair<std::string, std::string>>& metadata);

 private:
  std::string fresh(const std::string& prefix);
  std::string add_weight(const std::string& prefix, const std::vector<int64_t>& dims, float bound);
  std::string add_constant(const std::string& prefix, const std::vector<int64_t>& dims,
                           const std::vector<float>& values);
  ::onnx::NodeProto* add_node(const std::string& op, const std::vector<std::string>& inputs,
                              const std::vector<std::string>& outputs);
  Tensor unary(const std::string& op, const Tensor& x);
  std::string flatten(const Tensor& x, const std::string& out);
  void declare_output(const std::string& name, int64_t classes);

  std::unique_ptr<::onnx::ModelProto> model_;
  ::onnx::GraphProto* graph_;
  SeededRng rng_;
  int counter_ = 0;
  std::map<float, std::string> scalar_constants_;
  std::string producer_ = "edgeml zoo";
};

}  // namespace edgeml::onnx
