// GhostNet 1.0 as timm defines it (timm/models/ghostnet.py, v1 modules): ghost modules (a 1x1 conv making half the
// channels and a cheap 3x3 depthwise conv making the other half), ghost bottlenecks with optional depthwise stride
// and hard-sigmoid squeeze-excite, then 1x1 conv to 960, GAP, 1x1 conv with bias to 1280 + ReLU, linear classifier.
#include "onnx/zoo_architectures.hpp"
#include "onnx/zoo_blocks.hpp"

namespace edgeml::onnx {
namespace {

struct GhostCfg {
  int kernel;
  int64_t expand, out_c;
  double se;
  int stride;
};

// timm GhostModule (ratio 2, dw_size 3). All channel counts here are even, so no channel slicing is needed.
Tensor ghost_module(GraphBuilder& g, const Tensor& x, int64_t out_c, bool relu) {
  const Act act = relu ? Act::relu : Act::none;
  const int64_t init_c = (out_c + 1) / 2;
  Tensor primary = conv_bn_act(g, x, init_c, 1, 1, act);
  Tensor cheap = conv_bn_act(g, primary, init_c, 3, 1, act, init_c);
  return g.concat({primary, cheap});
}

Tensor ghost_bottleneck(GraphBuilder& g, const Tensor& x, const GhostCfg& c) {
  const int64_t mid = make_divisible(c.expand, 4), out_c = make_divisible(c.out_c, 4);
  Tensor y = ghost_module(g, x, mid, true);
  if (c.stride > 1) y = conv_bn_act(g, y, mid, c.kernel, c.stride, Act::none, mid);
  if (c.se > 0) y = squeeze_excite(g, y, make_divisible(mid * c.se, 4), Act::relu, Gate::hard_sigmoid);
  y = ghost_module(g, y, out_c, false);
  Tensor shortcut = x;
  if (x.c != out_c || c.stride != 1) {
    shortcut = conv_bn_act(g, x, x.c, c.kernel, c.stride, Act::none, x.c);
    shortcut = conv_bn_act(g, shortcut, out_c, 1, 1, Act::none);
  }
  return g.add(y, shortcut);
}

}  // namespace

void build_ghostnet(GraphBuilder& g) {
  // k, expansion, out channels, SE ratio, stride -- timm's cfgs, stage by stage.
  const GhostCfg cfgs[] = {
      {3, 16, 16, 0, 1},     {3, 48, 24, 0, 2},      {3, 72, 24, 0, 1},      {5, 72, 40, 0.25, 2},
      {5, 120, 40, 0.25, 1}, {3, 240, 80, 0, 2},     {3, 200, 80, 0, 1},     {3, 184, 80, 0, 1},
      {3, 184, 80, 0, 1},    {3, 480, 112, 0.25, 1}, {3, 672, 112, 0.25, 1}, {5, 672, 160, 0.25, 2},
      {5, 960, 160, 0, 1},   {5, 960, 160, 0.25, 1}, {5, 960, 160, 0, 1},    {5, 960, 160, 0.25, 1},
  };
  Tensor x = g.input(3, 224, 224);
  x = conv_bn_act(g, x, 16, 3, 2, Act::relu);
  for (const auto& c : cfgs) x = ghost_bottleneck(g, x, c);
  x = conv_bn_act(g, x, 960, 1, 1, Act::relu);
  x = g.global_avg_pool(x);
  x = g.activation(g.conv(x, 1280, 1, 1, 1, /*bias=*/true), Act::relu);
  g.classifier(x, 1000);
}

}  // namespace edgeml::onnx
