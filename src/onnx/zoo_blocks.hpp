#pragma once
// Building blocks shared by the zoo architectures, each matching its timm/torchvision module so parameter counts
// come out the same: conv + norm + activation, squeeze-excite, and timm's channel rounding.
#include "onnx/graph_builder.hpp"

namespace edgeml::onnx {

// timm.layers.make_divisible: round to a multiple of divisor, never dropping more than 10%.
int64_t make_divisible(double v, int64_t divisor = 8);

// Conv (no bias) -> BatchNormalization -> activation, as timm ConvBnAct / torchvision Conv2dNormActivation.
Tensor conv_bn_act(GraphBuilder& g, const Tensor& x, int64_t out_c, int64_t k, int64_t stride, Act act,
                   int64_t groups = 1, float gamma_scale = 1.0f);

// Squeeze-excite (timm SqueezeExcite): GAP -> 1x1 conv (bias) -> act -> 1x1 conv (bias) -> gate -> Mul(gate, x).
enum class Gate { sigmoid, hard_sigmoid };
Tensor squeeze_excite(GraphBuilder& g, const Tensor& x, int64_t reduced_c, Act act, Gate gate);

}  // namespace edgeml::onnx
