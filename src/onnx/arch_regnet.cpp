// RegNetX / RegNetY as timm defines them (timm/models/regnet.py): a 3x3 stride-2 stem of 32 channels, then four
// stages of bottleneck blocks whose widths and depths come from the quantized linear rule of the RegNet paper
// (w_j = w0 + wa * j, snapped to powers of wm times w0, rounded to multiples of 8), each block 1x1 conv -> 3x3 group
// conv (stride 2 in a stage's first block) -> [squeeze-excite for Y, reduced from the block's input width] -> 1x1
// conv, with a 1x1 conv shortcut where the shape changes and ReLU after the sum; then GAP and a linear classifier.
#include <cmath>
#include <map>

#include "onnx/zoo_architectures.hpp"
#include "onnx/zoo_blocks.hpp"

namespace edgeml::onnx {
namespace {

struct Stage {
  int64_t width;
  int depth;
  int64_t group_size;
};

// numpy's round (half to even), which timm uses: std::round would turn 24.5 into 25, not 24.
double np_round(double v) { return std::nearbyint(v); }

std::vector<Stage> generate(const RegNetParams& p) {
  std::vector<int64_t> widths;
  for (int j = 0; j < p.depth; ++j) {
    const double cont = j * p.wa + p.w0;
    const double exponent = np_round(std::log(cont / p.w0) / std::log(p.wm));
    widths.push_back(static_cast<int64_t>(np_round(p.w0 * std::pow(p.wm, exponent) / 8.0)) * 8);
  }
  std::vector<Stage> stages;
  for (int64_t w : widths) {
    if (!stages.empty() && stages.back().width == w)
      ++stages.back().depth;
    else
      stages.push_back({w, 1, p.group_size});
  }
  // Widths compatible with the group width (timm adjust_widths_groups_comp, bottleneck ratio 1).
  for (auto& s : stages) {
    s.group_size = std::min(s.group_size, s.width);
    s.width = static_cast<int64_t>(np_round(static_cast<double>(s.width) / s.group_size)) * s.group_size;
  }
  return stages;
}

Tensor bottleneck(GraphBuilder& g, const Tensor& x, int64_t out_c, int stride, int64_t group_size, double se_ratio) {
  Tensor y = conv_bn_act(g, x, out_c, 1, 1, Act::relu);
  y = conv_bn_act(g, y, out_c, 3, stride, Act::relu, out_c / group_size);
  if (se_ratio > 0)
    y = squeeze_excite(g, y, static_cast<int64_t>(std::lround(x.c * se_ratio)), Act::relu, Gate::sigmoid);
  y = conv_bn_act(g, y, out_c, 1, 1, Act::none, 1, 0.25f);
  Tensor shortcut = x;
  if (stride != 1 || x.c != out_c) shortcut = conv_bn_act(g, x, out_c, 1, stride, Act::none);
  return g.activation(g.add(y, shortcut), Act::relu);
}

}  // namespace

void build_regnet(GraphBuilder& g, const RegNetParams& p) {
  Tensor x = g.input(3, 224, 224);
  x = conv_bn_act(g, x, 32, 3, 2, Act::relu);
  for (const auto& stage : generate(p))
    for (int d = 0; d < stage.depth; ++d)
      x = bottleneck(g, x, stage.width, d == 0 ? 2 : 1, stage.group_size, p.se_ratio);
  x = g.global_avg_pool(x);
  g.classifier(x, 1000);
}

}  // namespace edgeml::onnx
