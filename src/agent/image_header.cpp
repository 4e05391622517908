#include "agent/image_header.hpp"

#include <string>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

namespace {

std::uint32_t be16(std::string_view b, size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8) | static_cast<unsigned char>(b[at + 1]);
}
std::uint32_t be32(std::string_view b, size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); }

[[noreturn]] void malformed(const std::string& what) { throw FieldError("body", "the image is malformed: " + what); }

ImageSize png_size(std::string_view b) {
  // Signature (8), then the first chunk, which must be IHDR: length (4) = 13, type (4), width (4), height (4).
  if (b.size() < 24) malformed("the PNG ends before its IHDR chunk");
  if (be32(b, 8) != 13 || b.substr(12, 4) != "IHDR") malformed("the PNG does not start with an IHDR chunk");
  ImageSize s{be32(b, 16), be32(b, 20)};
  if (s.width == 0 || s.height == 0) malformed("the PNG claims a width or height of 0");
  return s;
}

bool is_sof(unsigned char m) {  // start of frame: C0-CF but DHT (C4), JPG (C8) and DAC (CC)
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

ImageSize jpeg_size(std::string_view b) {
  size_t at = 2;  // after SOI
  while (at < b.size()) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) malformed("a JPEG segment does not start with 0xFF");
    while (at < b.size() && static_cast<unsigned char>(b[at]) == 0xFF) ++at;  // fill bytes
    if (at >= b.size()) break;
    unsigned char marker = static_cast<unsigned char>(b[at++]);
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) malformed("the JPEG has no frame header before its image data");
    if (at + 2 > b.size()) break;
    std::uint32_t len = be16(b, at);
    if (len < 2) malformed("a JPEG segment has a length below 2");
    if (is_sof(marker)) {
      if (at + 7 > b.size()) break;
      ImageSize s{be16(b, at + 5), be16(b, at + 3)};  // precision (1), height (2), width (2)
      if (s.width == 0 || s.height == 0) malformed("the JPEG claims a width or height of 0");
      return s;
    }
    at += len;
  }
  malformed("the JPEG ends before its frame header");
}

}  // namespace

ImageSize read_image_size(std::string_view b) {
  static constexpr std::string_view png_signature("\x89PNG\r\n\x1a\n", 8);
  if (b.substr(0, 8) == png_signature) return png_size(b);
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return jpeg_size(b);
  throw FieldError("body", "the body is not a PNG or JPEG image (other image formats are not accepted)");
}

void check_image_pixels(std::string_view bytes, std::uint64_t max_pixels) {
  auto s = read_image_size(bytes);
  if (s.pixels() > max_pixels)
    throw Error(ErrorKind::too_large,
                "the image is " + std::to_string(s.width) + " x " + std::to_string(s.height) + " = " +
                    format_number(static_cast<double>(s.pixels()) / 1e6, 1) + " megapixels, over the limit of " +
                    format_number(static_cast<double>(max_pixels) / 1e6, 1) +
                    " megapixels (--max-image-mpixels); it was not decoded",
                "body", {{"width", s.width}, {"height", s.height}, {"max_pixels", max_pixels}});
}

}  // namespace edgeml::agent
