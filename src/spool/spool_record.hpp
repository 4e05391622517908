#pragma once
// One spool record on disk: a 24-byte header (payload length, CRC-32, sequence number, sample time; little-endian)
// followed by the payload. The CRC covers seq, time and payload, so a record cut short by a crash or damaged on disk
// is recognized and never read as a sample.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgeml::spool {

inline constexpr std::size_t kRecordHeaderBytes = 24;
inline constexpr std::size_t kMaxRecordPayloadBytes = 16 << 20;

struct SpoolRecord {
  std::uint64_t seq = 0;
  double t = 0;         // Unix seconds of the sample
  std::string payload;  // the sample's wire JSON
};

std::string encode_record(std::uint64_t seq, double t, std::string_view payload);

struct DecodedRecord {
  SpoolRecord record;
  std::size_t size = 0;  // bytes consumed
};
// The record at the start of `bytes`, or nullopt when it is incomplete or damaged.
std::optional<DecodedRecord> decode_record(std::string_view bytes);

}  // namespace edgeml::spool
