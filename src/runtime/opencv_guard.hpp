#pragma once
// The ONNX constructs OpenCV 4.6 DNN gets wrong, found by reading the graph before readNetFromONNX sees it
// (../shared/notes/dependencies.md section 4). Each is rewritten to an equivalent form OpenCV handles, or refused:
//  - Clip with min/max as inputs (opset >= 11, e.g. ReLU6): 4.6 only parses the attribute form. Constant bounds are
//    moved into attributes; computed bounds are refused.
//  - Mul(x, HardSigmoid(y)): 4.6 fuses it into HardSwish(y) without checking x == y, silently giving wrong outputs.
//    Mul is commutative, so the inputs are swapped to Mul(HardSigmoid(y), x), which the fuser does not match.
//  - Conv without kernel_shape (optional in ONNX): 4.6 requires it; it is added from the weight's dims.
//  - QuantizeLinear/DequantizeLinear in a float graph (a TFLite model with quantized activations, simulated in float):
//    4.6 gives values off by orders of magnitude; refused.
//  - External data: 4.6 dies with SIGFPE inside readNetFromONNX. The caller inlines it first; this guard refuses any
//    initializer still stored outside.
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace edgeml::runtime {

// Rewrites `model` in place; returns one line per kind of rewrite done ("rewrote 2 Clip nodes ..."). Throws
// RuntimeRefusal naming the node when a construct cannot be rewritten.
std::vector<std::string> prepare_for_opencv(::onnx::ModelProto& model);

bool has_external_initializers(const ::onnx::ModelProto& model);

}  // namespace edgeml::runtime
