#pragma once
// An image's width and height read from its PNG or JPEG header, BEFORE anything is decoded: a small compressed file
// can claim a huge image (a 20000 x 20000 PNG of 379 KB made the decoder take 1.17 GB), so POST /infer checks the
// pixel count first and refuses with 413 naming the limit. Bodies that are neither PNG nor JPEG are refused too:
// the decoder would accept other formats (BMP, TIFF, WebP ...) whose size nobody checked.
#include <cstdint>
#include <string_view>

namespace edgeml::agent {

struct ImageSize {
  std::uint32_t width = 0, height = 0;
  std::uint64_t pixels() const { return static_cast<std::uint64_t>(width) * height; }
};

// The size from a PNG IHDR chunk or a JPEG start-of-frame segment. Throws FieldError("body") when the bytes are not a
// PNG or JPEG or the header is cut or malformed.
ImageSize read_image_size(std::string_view bytes);

// Throws Error(too_large, field "body") naming the image's size and the limit when it has more than max_pixels.
void check_image_pixels(std::string_view bytes, std::uint64_t max_pixels);

}  // namespace edgeml::agent
