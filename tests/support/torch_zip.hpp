#pragma once
// A PyTorch checkpoint container for tests: a zip with stored entries as torch.save writes it (archive/data.pkl,
// archive/version, and any extra entries such as tensor storages), central directory at the end.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace edgeml::testing {

// A zip archive of stored (uncompressed) entries, central directory at the end.
inline std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto u16 = [](std::string& s, uint32_t v) { s += char(v & 0xff), s += char((v >> 8) & 0xff); };
  auto u32 = [&](std::string& s, uint32_t v) { u16(s, v & 0xffff), u16(s, v >> 16); };
  std::string body, central;
  for (const auto& [name, content] : entries) {
    const auto offset = static_cast<uint32_t>(body.size());
    body += std::string("PK\x03\x04", 4);
    u16(body, 20), u16(body, 0), u16(body, 0), u16(body, 0), u16(body, 0);
    u32(body, 0), u32(body, content.size()), u32(body, content.size());
    u16(body, name.size()), u16(body, 0);
    body += name + content;
    central += std::string("PK\x01\x02", 4);
    u16(central, 20), u16(central, 20), u16(central, 0), u16(central, 0), u16(central, 0), u16(central, 0);
    u32(central, 0), u32(central, content.size()), u32(central, content.size());
    u16(central, name.size()), u16(central, 0), u16(central, 0), u16(central, 0), u16(central, 0);
    u32(central, 0), u32(central, offset);
    central += name;
  }
  std::string eocd("PK\x05\x06", 4);
  u16(eocd, 0), u16(eocd, 0), u16(eocd, entries.size()), u16(eocd, entries.size());
  u32(eocd, central.size()), u32(eocd, body.size()), u16(eocd, 0);
  return body + central + eocd;
}

// A zip with stored entries, as torch.save writes it: archive/data.pkl, archive/version, then `extra`.
inline std::string torch_zip(const std::string& pickle,
                             const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  std::vector<std::pair<std::string, std::string>> entries = {{"archive/data.pkl", pickle}, {"archive/version", "3\n"}};
  entries.insert(entries.end(), extra.begin(), extra.end());
  return stored_zip(entries);
}

}  // namespace edgeml::testing
