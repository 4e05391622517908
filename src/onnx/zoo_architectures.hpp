#pragma once
// One function per architecture family; each writes the whole classifier (input [1,3,224,224] -> logits [1,1000])
// into the builder. zoo.cpp maps the timm/torchvision names onto these.
#include "onnx/graph_builder.hpp"

namespace edgeml::onnx {

// mobilenetv2_*d: depth scaled too, with stem and head widths fixed (timm fix_stem_head).
void build_mobilenetv2(GraphBuilder& g, double multiplier, double depth_multiplier = 1.0, bool fix_stem_head = false);
void build_mobilenetv3(GraphBuilder& g, bool large, double multiplier);
void build_mnasnet(GraphBuilder& g, double multiplier = 1.0);  // timm mnasnet_b1 (mnasnet_050/075/100)
// EfficientNet b0..b3 by width and depth multipliers (b1 1.0/1.1, b2 1.1/1.2, b3 1.2/1.4), all at 224x224.
void build_efficientnet(GraphBuilder& g, bool lite, double width = 1.0, double depth = 1.0);
// RegNetX/Y (timm regnet.py): the stage widths and depths generated from (w0, wa, wm, depth), group width, and
// squeeze-excite ratio for the Y models (0 for X).
struct RegNetParams {
  double w0, wa, wm;
  int depth;
  int64_t group_size;
  double se_ratio;
};
void build_regnet(GraphBuilder& g, const RegNetParams& p);
// DeiT / ViT (timm vision_transformer.py) at patch 16, 224x224: width, depth, heads (deit_tiny: 192, 12, 3).
void build_vit(GraphBuilder& g, int64_t width, int depth, int64_t heads);
void build_ghostnet(GraphBuilder& g);
void build_resnet(GraphBuilder& g, int depth);  // 18, 34, 50
void build_squeezenet(GraphBuilder& g, bool v1_1);
void build_shufflenet_v2(GraphBuilder& g, double width);  // 0.5 or 1.0

}  // namespace edgeml::onnx
