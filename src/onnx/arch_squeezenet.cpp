// SqueezeNet 1.0 and 1.1 as torchvision defines them: Fire modules (1x1 squeeze, 1x1 + 3x3 expand, all convs with
// bias, ReLU, no norm), ceil-mode max pools, and a 1x1 conv classifier followed by global average pooling.
#include "onnx/zoo_architectures.hpp"

namespace edgeml::onnx {
namespace {

Tensor conv_relu(GraphBuilder& g, const Tensor& x, int64_t out_c, int64_t k, int64_t stride, int64_t pad) {
  return g.activation(g.conv(x, out_c, k, stride, 1, /*bias=*/true, pad), Act::relu);
}

Tensor fire(GraphBuilder& g, const Tensor& x, int64_t squeeze, int64_t expand1, int64_t expand3) {
  Tensor s = conv_relu(g, x, squeeze, 1, 1, 0);
  return g.concat({conv_relu(g, s, expand1, 1, 1, 0), conv_relu(g, s, expand3, 3, 1, 1)});
}

}  // namespace

void build_squeezenet(GraphBuilder& g, bool v1_1) {
  Tensor x = g.input(3, 224, 224);
  auto pool = [&](const Tensor& t) { return g.max_pool(t, 3, 2, 0, /*ceil_mode=*/true); };
  if (!v1_1) {
    x = pool(conv_relu(g, x, 96, 7, 2, 0));
    x = fire(g, x, 16, 64, 64);
    x = fire(g, x, 16, 64, 64);
    x = fire(g, x, 32, 128, 128);
    x = pool(x);
    x = fire(g, x, 32, 128, 128);
    x = fire(g, x, 48, 192, 192);
    x = fire(g, x, 48, 192, 192);
    x = fire(g, x, 64, 256, 256);
    x = pool(x);
    x = fire(g, x, 64, 256, 256);
  } else {
    x = pool(conv_relu(g, x, 64, 3, 2, 0));
    x = fire(g, x, 16, 64, 64);
    x = fire(g, x, 16, 64, 64);
    x = pool(x);
    x = fire(g, x, 32, 128, 128);
    x = fire(g, x, 32, 128, 128);
    x = pool(x);
    x = fire(g, x, 48, 192, 192);
    x = fire(g, x, 48, 192, 192);
    x = fire(g, x, 64, 256, 256);
    x = fire(g, x, 64, 256, 256);
  }
  // torchvision: Dropout (identity at inference) -> Conv 512->1000 -> ReLU -> AdaptiveAvgPool -> flatten. The final
  // conv is the classifier, so the graph ends in Flatten rather than Gemm.
  x = g.global_avg_pool(conv_relu(g, x, 1000, 1, 1, 0));
  g.flatten_output(x);
}

}  // namespace edgeml::onnx
