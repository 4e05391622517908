// ResNet-18/34/50 as timm (and torchvision v1.5) define them: 7x7 stem, max pool, four stages of basic or bottleneck
// blocks with the stride on the 3x3 conv, 1x1 conv + BN projection shortcuts, GAP, linear classifier.
#include <stdexcept>

#include "onnx/zoo_architectures.hpp"
#include "onnx/zoo_blocks.hpp"

namespace edgeml::onnx {
namespace {

// The last norm of each residual branch starts small (timm zero-inits it; we keep it non-zero so the branch still
// matters) so that random weights do not blow activations up over 16 blocks.
constexpr float kBranchGamma = 0.25f;

Tensor basic_block(GraphBuilder& g, const Tensor& x, int64_t planes, int64_t stride) {
  Tensor y = conv_bn_act(g, x, planes, 3, stride, Act::relu);
  y = conv_bn_act(g, y, planes, 3, 1, Act::none, 1, kBranchGamma);
  Tensor shortcut = (stride != 1 || x.c != planes) ? conv_bn_act(g, x, planes, 1, stride, Act::none) : x;
  return g.activation(g.add(y, shortcut), Act::relu);
}

Tensor bottleneck(GraphBuilder& g, const Tensor& x, int64_t planes, int64_t stride) {
  const int64_t out_c = planes * 4;
  Tensor y = conv_bn_act(g, x, planes, 1, 1, Act::relu);
  y = conv_bn_act(g, y, planes, 3, stride, Act::relu);
  y = conv_bn_act(g, y, out_c, 1, 1, Act::none, 1, kBranchGamma);
  Tensor shortcut = (stride != 1 || x.c != out_c) ? conv_bn_act(g, x, out_c, 1, stride, Act::none) : x;
  return g.activation(g.add(y, shortcut), Act::relu);
}

}  // namespace

void build_resnet(GraphBuilder& g, int depth) {
  std::vector<int> repeats;
  bool bottlenecks = false;
  if (depth == 18)
    repeats = {2, 2, 2, 2};
  else if (depth == 34)
    repeats = {3, 4, 6, 3};
  else if (depth == 50)
    repeats = {3, 4, 6, 3}, bottlenecks = true;
  else
    throw std::logic_error("zoo: no resnet" + std::to_string(depth));

  Tensor x = g.input(3, 224, 224);
  x = conv_bn_act(g, x, 64, 7, 2, Act::relu);
  x = g.max_pool(x, 3, 2, 1);
  const int64_t planes[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage) {
    for (int i = 0; i < repeats[stage]; ++i) {
      const int64_t stride = (stage > 0 && i == 0) ? 2 : 1;
      x = bottlenecks ? bottleneck(g, x, planes[stage], stride) : basic_block(g, x, planes[stage], stride);
    }
  }
  g.classifier(g.global_avg_pool(x), 1000);
}

}  // namespace edgeml::onnx
