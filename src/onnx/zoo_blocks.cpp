#include "onnx/zoo_blocks.hpp"

#include <algorithm>

namespace edgeml::onnx {

int64_t make_divisible(double v, int64_t divisor) {
  int64_t rounded = std::max<int64_t>(divisor, static_cast<int64_t>(v + divisor / 2.0) / divisor * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

Tensor conv_bn_act(GraphBuilder& g, const Tensor& x, int64_t out_c, int64_t k, int64_t stride, Act act, int64_t groups,
                   float gamma_scale) {
  return g.activation(g.batch_norm(g.conv(x, out_c, k, stride, groups), gamma_scale), act);
}

Tensor squeeze_excite(GraphBuilder& g, const Tensor& x, int64_t reduced_c, Act act, Gate gate) {
  Tensor s = g.global_avg_pool(x);
  s = g.activation(g.conv(s, reduced_c, 1, 1, 1, /*bias=*/true), act);
  s = g.conv(s, x.c, 1, 1, 1, /*bias=*/true);
  s = gate == Gate::sigmoid ? g.sigmoid(s) : g.hard_sigmoid(s);
  return g.gate(s, x);
}

}  // namespace edgeml::onnx
