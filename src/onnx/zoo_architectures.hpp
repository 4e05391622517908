#pragma once
// One function per architecture family; each writes the whole classifier (input [1,3,224,224] -> logits [1,1000])
// into the builder. zoo.cpp maps the timm/torchvision names onto these.
#include "onnx/graph_builder.hpp"

namespace edgeml::onnx {

void build_mobilenetv2(GraphBuilder& g, double multiplier);
void build_mobilenetv3(GraphBuilder& g, bool large, double multiplier);
void build_mnasnet(GraphBuilder& g);
void build_efficientnet(GraphBuilder& g, bool lite);
void build_ghostnet(GraphBuilder& g);
void build_resnet(GraphBuilder& g, int depth);  // 18, 34, 50
void build_squeezenet(GraphBuilder& g, bool v1_1);
void build_shufflenet_v2(GraphBuilder& g, double width);  // 0.5 or 1.0

}  // namespace edgeml::onnx
