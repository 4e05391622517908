#pragma once
// Arithmetic cost of one ONNX node from its (inferred) tensor shapes.
//
// Counting convention (the one timm's and torchvision's tables use, i.e. fvcore-style):
//   MACs  = multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul (and their integer/quantized forms) only.
//           Conv: output elements x (input channels / group) x kernel size -- so grouped and depthwise convs count
//           1/group of a dense one. ConvTranspose: input elements x (output channels / group) x kernel size.
//           Gemm/MatMul: output elements x the reduced dimension K. Biases are not counted.
//   FLOPs = 2 x MACs for those, plus one per output element for element-wise ops and activations, 2 per element
//           for BatchNormalization (scale + shift, when not folded), 3 per element for Softmax, kernel-size per
//           output element for Max/Average pooling, one per input element for global pooling.
//   Data-movement ops (Reshape, Concat, Transpose, Split, Flatten, ...) cost nothing.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class NodeProto;
}

namespace edgeml::onnx {

using Shape = std::vector<int64_t>;
// The fully known shape of a tensor, or nullopt when shape inference could not fix every dimension.
using ShapeLookup = std::function<std::optional<Shape>(const std::string& tensor)>;

struct OpCost {
  double macs = 0, flops = 0;
  // Why the node could not be costed ("" when it was): a shape left unknown, or an op this table does not model.
  std::string uncounted_reason;
};

OpCost op_cost(const ::onnx::NodeProto& node, const ShapeLookup& shape);

}  // namespace edgeml::onnx
