#pragma once
// Turns a POST /infer body into the model's input tensor:
//   - image/png, image/jpeg: decoded with OpenCV, resized to the model's H x W, RGB, scaled to 0..1, then normalised
//     with the ImageNet mean/std (what timm/torchvision classifiers expect) unless normalize=none;
//   - application/octet-stream: raw little-endian float32 values, exactly as many as the model takes.
// Throws FieldError("body") for an undecodable image or a wrong byte count, FieldError("Content-Type") otherwise.
#include <string>
#include <vector>

#include "agent/model_host.hpp"

namespace edgeml::agent {

enum class Normalization { imagenet, none };

std::vector<float> tensor_from_body(const std::string& content_type, const std::string& body, const TensorShape& input,
                                    Normalization norm);

// The k largest outputs as [{"index", "value"}], largest first.
struct TopEntry {
  size_t index;
  float value;
};
std::vector<TopEntry> top_k(const std::vector<float>& values, size_t k);

}  // namespace edgeml::agent
