#pragma once
// CRC-32 (IEEE 802.3, reflected, the zlib/PNG one): detects a torn or damaged spool record.
#include <cstdint>
#include <string_view>

namespace edgeml::spool {

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace edgeml::spool
