#include "onnx/model_format.hpp"

#include <cstdint>
#include <fstream>
#include <stdexcept>

namespace edgeml::onnx {

namespace {

uint32_t le16(std::string_view b, size_t at) {
  return static_cast<uint8_t>(b[at]) | static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8;
}
uint32_t le32(std::string_view b, size_t at) { return le16(b, at) | le16(b, at + 2) << 16; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Walks the zip central directory (found through the end-of-central-directory record) looking for the entries
// torch.save writes: "<archive>/data.pkl" and "<archive>/version". Every offset is bounds-checked.
bool is_torch_zip(std::string_view b) {
  constexpr size_t kEocdSize = 22, kMaxComment = 65535;
  if (b.size() < kEocdSize) return false;
  size_t lowest = b.size() > kEocdSize + kMaxComment ? b.size() - kEocdSize - kMaxComment : 0;
  for (size_t at = b.size() - kEocdSize + 1; at-- > lowest;) {
    if (b.substr(at, 4) != std::string_view("PK\x05\x06", 4)) continue;
    uint32_t count = le16(b, at + 10), cd_offset = le32(b, at + 16);
    size_t p = cd_offset;
    for (uint32_t i = 0; i < count; ++i) {
      if (p + 46 > b.size() || b.substr(p, 4) != std::string_view("PK\x01\x02", 4)) return false;
      uint32_t name_len = le16(b, p + 28), extra_len = le16(b, p + 30), comment_len = le16(b, p + 32);
      if (p + 46 + name_len > b.size()) return false;
      std::string_view name = b.substr(p + 46, name_len);
      if (ends_with(name, "data.pkl") || ends_with(name, "/version") || name == "version") return true;
      p += 46 + name_len + extra_len + comment_len;
    }
    return false;
  }
  return false;
}

// A protobuf varint starting at b[at]; false when it runs off the end or past 10 bytes.
bool read_varint(std::string_view b, size_t at, uint64_t& value) {
  value = 0;
  for (int i = 0; i < 10 && at + i < b.size(); ++i) {
    uint8_t byte = static_cast<uint8_t>(b[at + i]);
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) return true;
  }
  return false;
}

}  // namespace

std::string to_string(ModelFormat f) {
  switch (f) {
    case ModelFormat::onnx:
      return "onnx";
    case ModelFormat::tflite:
      return "tflite";
    case ModelFormat::pytorch:
      return "pytorch";
    case ModelFormat::unknown:
      return "unknown";
  }
  return "unknown";
}

ModelFormat detect_format(std::string_view b) {
  if (b.size() >= 8 && b.substr(4, 4) == "TFL3") return ModelFormat::tflite;
  if (b.size() >= 4 && b.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    return is_torch_zip(b) ? ModelFormat::pytorch : ModelFormat::unknown;
  // Legacy (pre-1.6) torch.save: a bare pickle stream, protocol 2..5.
  if (b.size() >= 2 && static_cast<uint8_t>(b[0]) == 0x80 && b[1] >= 2 && b[1] <= 5) return ModelFormat::pytorch;
  // Every ONNX writer emits ir_version (field 1, varint) first; IR versions so far are 1..10.
  uint64_t ir = 0;
  if (b.size() >= 2 && static_cast<uint8_t>(b[0]) == 0x08 && read_varint(b, 1, ir) && ir >= 1 && ir <= 64)
    return ModelFormat::onnx;
  return ModelFormat::unknown;
}

namespace {
std::string read_range(std::ifstream& in, std::uint64_t offset, std::uint64_t length) {
  std::string buf(length, '\0');
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(buf.data(), static_cast<std::streamsize>(length));
  buf.resize(static_cast<size_t>(in.gcount()));
  return buf;
}
}  // namespace

ModelFormat detect_file_format(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) throw std::runtime_error("cannot read " + path.string());
  constexpr std::uint64_t kWhole = 1u << 20;
  if (size <= kWhole) return detect_format(read_range(in, 0, size));
  std::string head = read_range(in, 0, 64);
  if (head.size() < 4 || head.substr(0, 4) != std::string_view("PK\x03\x04", 4)) return detect_format(head);
  // A zip: find the end-of-central-directory record in the last 64 KiB + 22 bytes, then read the central directory
  // it points to, and hand detect_format a buffer laid out as the offsets expect (zeros where nothing was read).
  constexpr std::uint64_t kEocdSize = 22, kMaxComment = 65535;
  const std::uint64_t tail_start = size > kEocdSize + kMaxComment ? size - kEocdSize - kMaxComment : 0;
  std::string tail = read_range(in, tail_start, size - tail_start);
  for (size_t at = tail.size() >= kEocdSize ? tail.size() - kEocdSize + 1 : 0; at-- > 0;) {
    if (tail.compare(at, 4, "PK\x05\x06") != 0) continue;
    std::uint64_t cd_size = le32(tail, at + 12), cd_offset = le32(tail, at + 16);
    if (cd_offset + cd_size > size || cd_size > (64u << 20)) return ModelFormat::unknown;
    std::string cd = read_range(in, cd_offset, cd_size);
    // Layout: [head][cd at its offset][eocd at the end]. Rebased so that all offsets stay valid in a small buffer.
    std::string eocd = tail.substr(at, kEocdSize);
    std::string buf = head;
    buf.resize(64, '\0');
    const std::uint32_t new_cd = static_cast<std::uint32_t>(buf.size());
    buf += cd;
    for (int i = 0; i < 4; ++i) eocd[16 + i] = static_cast<char>((new_cd >> (8 * i)) & 0xff);
    buf += eocd;
    return detect_format(buf);
  }
  return ModelFormat::unknown;
}

}  // namespace edgeml::onnx
