#pragma once
// Turns a POST /infer body into the model's input tensor:
//   - image/png, image/jpeg: decoded with OpenCV, resized to the model's H x W, RGB, then scaled by the model's pixel
//     convention and written in its layout (runtime::InputSpec: NCHW or NHWC; raw 0..255, 0..1, ImageNet mean/std or
//     -1..1). The caller may override the convention (the legacy `normalize` query: imagenet | none = 0..1);
//   - application/octet-stream: raw little-endian float32 values, exactly as many as the model takes, used as sent.
// Throws FieldError("body") for an undecodable image or a wrong byte count, FieldError("Content-Type") otherwise.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/model_host.hpp"
#include "runtime/input_spec.hpp"

namespace edgeml::agent {

struct ImageInput {
  std::vector<float> values;
  runtime::InputSpec used;  // the layout and convention the values were written in, and why
};

inline constexpr std::uint64_t kDefaultMaxImagePixels = 24'000'000;  // a 6000 x 4000 photo

// `normalize`: the request's legacy override, "imagenet" or "none" (0..1); nullopt keeps the model's convention.
// An image's pixel count is read from its header and checked against max_image_pixels before it is decoded
// (Error(too_large) naming the limit; image_header.hpp).
ImageInput tensor_from_body(const std::string& content_type, const std::string& body, const TensorShape& input,
                            const runtime::InputSpec& spec, const std::optional<std::string>& normalize = std::nullopt,
                            std::uint64_t max_image_pixels = kDefaultMaxImagePixels);

// The k largest outputs as [{"index", "value"}], largest first.
struct TopEntry {
  size_t index;
  float value;
};
std::vector<TopEntry> top_k(const std::vector<float>& values, size_t k);

}  // namespace edgeml::agent
