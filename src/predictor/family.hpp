#pragma once
// Architecture family of a model name, to hold whole families out in cross-validation (a new architecture is the
// hard case the static predictor meets in practice).
#include <string>
#include <string_view>

namespace edgeml::predictor {

// The name's first '_'-separated word, cut before its first digit unless the digit is a version ("v3"):
//   resnet50d -> resnet, mobilenetv3_small_100 -> mobilenetv3, vit_b_p16_r224_fp16 -> vit,
//   efficientnet_b0 -> efficientnet, convnext_tiny -> convnext. A timm "tf_" prefix (ported weights) is skipped.
// Lower-case; a name with no letters before its first digit is its own family.
std::string family(std::string_view model_name);

}  // namespace edgeml::predictor
