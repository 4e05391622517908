#include "spool/spool_record.hpp"

#include <cstring>

#include "spool/crc32.hpp"

namespace edgeml::spool {

namespace {
void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
std::uint64_t get(std::string_view b, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}
std::uint64_t bits_of(double t) {
  std::uint64_t u;
  std::memcpy(&u, &t, sizeof u);
  return u;
}
// CRC over seq, time and payload.
std::uint32_t record_crc(std::string_view header_tail16, std::string_view payload) {
  return crc32(payload, crc32(header_tail16));
}
}  // namespace

std::string encode_record(std::uint64_t seq, double t, std::string_view payload) {
  std::string tail;
  put_u64(tail, seq);
  put_u64(tail, bits_of(t));
  std::string out;
  out.reserve(kRecordHeaderBytes + payload.size());
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, record_crc(tail, payload));
  out += tail;
  out.append(payload);
  return out;
}

std::optional<DecodedRecord> decode_record(std::string_view b) {
  if (b.size() < kRecordHeaderBytes) return std::nullopt;
  auto len = static_cast<std::size_t>(get(b, 0, 4));
  if (len > kMaxRecordPayloadBytes || b.size() - kRecordHeaderBytes < len) return std::nullopt;
  auto crc = static_cast<std::uint32_t>(get(b, 4, 4));
  auto tail = b.substr(8, 16);
  auto payload = b.substr(kRecordHeaderBytes, len);
  if (record_crc(tail, payload) != crc) return std::nullopt;
  DecodedRecord d;
  d.record.seq = get(b, 8, 8);
  std::uint64_t tb = get(b, 16, 8);
  std::memcpy(&d.record.t, &tb, sizeof tb);
  d.record.payload.assign(payload);
  d.size = kRecordHeaderBytes + len;
  return d;
}

}  // namespace edgeml::spool
