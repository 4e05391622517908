// The timm "EfficientNet builder" family: MobileNetV2, MobileNetV3, MNASNet, EfficientNet and EfficientNet-Lite.
// Stages are given in timm's own block-string notation (copied from timm/models/efficientnet.py and
// mobilenetv3.py) and decoded here, so each definition can be checked against timm line by line:
//   ds = depthwise-separable, ir = inverted residual, cn = conv-bn-act; r repeats, k kernel, s stride,
//   e expansion ratio, c output channels, se squeeze-excite ratio, nre = ReLU instead of the net's activation,
//   noskip = no residual.
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "common/strings.hpp"
#include "onnx/zoo_architectures.hpp"
#include "onnx/zoo_blocks.hpp"

namespace edgeml::onnx {
namespace {

struct BlockSpec {
  std::string type;  // ds, ir, cn
  int repeats = 1, kernel = 3, stride = 1;
  double exp = 1.0, se = 0.0;
  int64_t out_c = 0;
  bool relu = false, noskip = false;
};

BlockSpec decode(const std::string& text) {
  auto parts = split(text, '_');
  BlockSpec b;
  b.type = parts.at(0);
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    auto num = [&](size_t skip) {
      auto v = parse_double(p.substr(skip));
      if (!v) throw std::logic_error("zoo: bad block string " + text);
      return *v;
    };
    if (p == "nre")
      b.relu = true;
    else if (p == "noskip")
      b.noskip = true;
    else if (p.rfind("se", 0) == 0)
      b.se = num(2);
    else if (p[0] == 'r')
      b.repeats = static_cast<int>(num(1));
    else if (p[0] == 'k')
      b.kernel = static_cast<int>(num(1));
    else if (p[0] == 's')
      b.stride = static_cast<int>(num(1));
    else if (p[0] == 'e')
      b.exp = num(1);
    else if (p[0] == 'c')
      b.out_c = static_cast<int64_t>(num(1));
    else
      throw std::logic_error("zoo: unknown block option in " + text);
  }
  return b;
}

struct NetSpec {
  std::vector<std::string> blocks;
  double multiplier = 1.0;
  double depth_multiplier = 1.0;  // repeats per stage: ceil(r x depth), timm's depth_trunc "ceil"
  bool fix_first_last = false;    // depth scaling leaves the first and last stages alone (mobilenetv2_*d)
  int64_t stem = 32;
  bool fix_stem = false;  // stem width not scaled by the multiplier
  int64_t num_features = 1280;
  Act act = Act::relu;
  // MobileNetV3: SE width from the expanded channels, rounded to 8, ReLU inside, hard-sigmoid gate, and a head of
  // GAP -> 1x1 conv with bias -> hard-swish. EfficientNet: SE width from the block input, the block's activation,
  // sigmoid gate, and a head of 1x1 conv -> BN -> act -> GAP.
  bool mobilenetv3 = false;
};

Tensor block(GraphBuilder& g, const NetSpec& net, const BlockSpec& b, Tensor x, int stride) {
  const Act act = b.relu ? Act::relu : net.act;
  const int64_t out_c = make_divisible(b.out_c * net.multiplier);
  const bool skip = stride == 1 && x.c == out_c && !b.noskip;
  const Tensor shortcut = x;
  auto se = [&](const Tensor& t, int64_t block_in) {
    if (b.se <= 0) return t;
    if (net.mobilenetv3) return squeeze_excite(g, t, make_divisible(t.c * b.se), Act::relu, Gate::hard_sigmoid);
    return squeeze_excite(g, t, static_cast<int64_t>(std::lround(block_in * b.se)), act, Gate::sigmoid);
  };
  const float last_gamma = skip ? 0.25f : 1.0f;
  if (b.type == "ds") {
    x = conv_bn_act(g, x, x.c, b.kernel, stride, act, x.c);
    x = se(x, shortcut.c);
    x = conv_bn_act(g, x, out_c, 1, 1, Act::none, 1, last_gamma);
  } else if (b.type == "ir") {
    const int64_t mid = make_divisible(x.c * b.exp);
    x = conv_bn_act(g, x, mid, 1, 1, act);
    x = conv_bn_act(g, x, mid, b.kernel, stride, act, mid);
    x = se(x, shortcut.c);
    x = conv_bn_act(g, x, out_c, 1, 1, Act::none, 1, last_gamma);
  } else if (b.type == "cn") {
    x = conv_bn_act(g, x, out_c, b.kernel, stride, act);
  } else {
    throw std::logic_error("zoo: unknown block type " + b.type);
  }
  return skip ? g.add(x, shortcut) : x;
}

void build(GraphBuilder& g, const NetSpec& net) {
  Tensor x = g.input(3, 224, 224);
  const int64_t stem = net.fix_stem ? net.stem : make_divisible(net.stem * net.multiplier);
  x = conv_bn_act(g, x, stem, 3, 2, net.act);
  for (size_t i = 0; i < net.blocks.size(); ++i) {
    BlockSpec b = decode(net.blocks[i]);
    const bool fixed = net.fix_first_last && (i == 0 || i + 1 == net.blocks.size());
    if (!fixed) b.repeats = static_cast<int>(std::ceil(b.repeats * net.depth_multiplier - 1e-9));
    for (int r = 0; r < b.repeats; ++r) x = block(g, net, b, x, r == 0 ? b.stride : 1);
  }
  if (net.mobilenetv3) {
    x = g.global_avg_pool(x);
    x = g.activation(g.conv(x, net.num_features, 1, 1, 1, /*bias=*/true), Act::hard_swish);
  } else {
    x = conv_bn_act(g, x, net.num_features, 1, 1, net.act);
    x = g.global_avg_pool(x);
  }
  g.classifier(x, 1000);
}

}  // namespace

void build_mobilenetv2(GraphBuilder& g, double multiplier, double depth_multiplier, bool fix_stem_head) {
  NetSpec n;
  n.blocks = {"ds_r1_k3_s1_c16",    "ir_r2_k3_s2_e6_c24",  "ir_r3_k3_s2_e6_c32", "ir_r4_k3_s2_e6_c64",
              "ir_r3_k3_s1_e6_c96", "ir_r3_k3_s2_e6_c160", "ir_r1_k3_s1_e6_c320"};
  n.multiplier = multiplier;
  n.depth_multiplier = depth_multiplier;
  n.fix_first_last = fix_stem_head;
  n.fix_stem = fix_stem_head;
  n.act = Act::relu6;
  n.num_features = fix_stem_head ? 1280 : std::max<int64_t>(1280, make_divisible(1280 * multiplier));
  build(g, n);
}

void build_mobilenetv3(GraphBuilder& g, bool large, double multiplier) {
  NetSpec n;
  if (large) {
    n.blocks = {"ds_r1_k3_s1_e1_c16_nre",     "ir_r1_k3_s2_e4_c24_nre",
                "ir_r1_k3_s1_e3_c24_nre",     "ir_r3_k5_s2_e3_c40_se0.25_nre",
                "ir_r1_k3_s2_e6_c80",         "ir_r1_k3_s1_e2.5_c80",
                "ir_r2_k3_s1_e2.3_c80",       "ir_r2_k3_s1_e6_c112_se0.25",
                "ir_r3_k5_s2_e6_c160_se0.25", "cn_r1_k1_s1_c960"};
    n.num_features = 1280;
  } else {
    n.blocks = {"ds_r1_k3_s2_e1_c16_se0.25_nre", "ir_r1_k3_s2_e4.5_c24_nre",  "ir_r1_k3_s1_e3.67_c24_nre",
                "ir_r1_k5_s2_e4_c40_se0.25",     "ir_r2_k5_s1_e6_c40_se0.25", "ir_r2_k5_s1_e3_c48_se0.25",
                "ir_r3_k5_s2_e6_c96_se0.25",     "cn_r1_k1_s1_c576"};
    n.num_features = 1024;
  }
  n.multiplier = multiplier;
  n.stem = 16;
  n.fix_stem = multiplier < 0.75;
  n.act = Act::hard_swish;
  n.mobilenetv3 = true;
  build(g, n);
}

void build_mnasnet(GraphBuilder& g, double multiplier) {
  NetSpec n;
  n.blocks = {"ds_r1_k3_s1_c16_noskip", "ir_r3_k3_s2_e3_c24",  "ir_r3_k5_s2_e3_c40",        "ir_r3_k5_s2_e6_c80",
              "ir_r2_k3_s1_e6_c96",     "ir_r4_k5_s2_e6_c192", "ir_r1_k3_s1_e6_c320_noskip"};
  n.multiplier = multiplier;
  n.act = Act::relu;
  build(g, n);
}

void build_efficientnet(GraphBuilder& g, bool lite, double width, double depth) {
  NetSpec n;
  n.multiplier = width;
  n.depth_multiplier = depth;
  n.num_features = make_divisible(1280 * width);
  if (lite) {
    n.blocks = {"ds_r1_k3_s1_e1_c16",  "ir_r2_k3_s2_e6_c24",  "ir_r2_k5_s2_e6_c40", "ir_r3_k3_s2_e6_c80",
                "ir_r3_k5_s1_e6_c112", "ir_r4_k5_s2_e6_c192", "ir_r1_k3_s1_e6_c320"};
    n.act = Act::relu6;
    n.fix_stem = true;
  } else {
    n.blocks = {"ds_r1_k3_s1_e1_c16_se0.25", "ir_r2_k3_s2_e6_c24_se0.25",  "ir_r2_k5_s2_e6_c40_se0.25",
                "ir_r3_k3_s2_e6_c80_se0.25", "ir_r3_k5_s1_e6_c112_se0.25", "ir_r4_k5_s2_e6_c192_se0.25",
                "ir_r1_k3_s1_e6_c320_se0.25"};
    n.act = Act::swish;
  }
  build(g, n);
}

}  // namespace edgeml::onnx
