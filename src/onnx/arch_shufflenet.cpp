// ShuffleNetV2 x0.5 and x1.0 as torchvision defines them: 3x3 stem + max pool, three stages of units that split the
// channels in half (stride 1) or run two branches (stride 2), concatenate and shuffle, then a 1x1 conv to 1024.
#include <stdexcept>

#include "onnx/zoo_architectures.hpp"
#include "onnx/zoo_blocks.hpp"

namespace edgeml::onnx {
namespace {

Tensor unit(GraphBuilder& g, const Tensor& x, int64_t out_c, int64_t stride) {
  const int64_t half = out_c / 2;
  auto branch2 = [&](const Tensor& in) {
    Tensor y = conv_bn_act(g, in, half, 1, 1, Act::relu);
    y = conv_bn_act(g, y, half, 3, stride, Act::none, half);
    return conv_bn_act(g, y, half, 1, 1, Act::relu);
  };
  Tensor out;
  if (stride == 1) {
    auto [keep, transform] = g.split_half(x);
    out = g.concat({keep, branch2(transform)});
  } else {
    Tensor b1 = conv_bn_act(g, x, x.c, 3, stride, Act::none, x.c);
    b1 = conv_bn_act(g, b1, half, 1, 1, Act::relu);
    out = g.concat({b1, branch2(x)});
  }
  return g.channel_shuffle(out, 2);
}

}  // namespace

void build_shufflenet_v2(GraphBuilder& g, double width) {
  std::vector<int64_t> channels;
  if (width == 0.5)
    channels = {24, 48, 96, 192, 1024};
  else if (width == 1.0)
    channels = {24, 116, 232, 464, 1024};
  else
    throw std::logic_error("zoo: no shufflenet_v2 width " + std::to_string(width));
  const int repeats[] = {4, 8, 4};

  Tensor x = g.input(3, 224, 224);
  x = conv_bn_act(g, x, channels[0], 3, 2, Act::relu);
  x = g.max_pool(x, 3, 2, 1);
  for (int stage = 0; stage < 3; ++stage)
    for (int i = 0; i < repeats[stage]; ++i) x = unit(g, x, channels[stage + 1], i == 0 ? 2 : 1);
  x = conv_bn_act(g, x, channels[4], 1, 1, Act::relu);
  g.classifier(g.global_avg_pool(x), 1000);
}

}  // namespace edgeml::onnx
