#pragma once
// One "Range: bytes=..." header against a file of `size` bytes (RFC 9110 §14): "a-b", "a-" and "-n" forms.
#include <cstdint>
#include <optional>
#include <string>

namespace edgeml::http {

struct ByteSlice {
  std::uint64_t first = 0, last = 0;  // inclusive
};

// nullopt: ignore the header and send the whole file (another unit, several ranges, a malformed value — all allowed
// by the RFC). Throws Error(range_not_satisfiable) when the range lies outside the file; the caller answers 416 with
// "Content-Range: bytes */size".
std::optional<ByteSlice> parse_byte_range(const std::string& header, std::uint64_t size);

}  // namespace edgeml::http
