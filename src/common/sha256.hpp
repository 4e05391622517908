#pragma once
// SHA-256 over bytes, streams and files (OpenSSL EVP). Hex digests are lowercase, 64 characters.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace edgeml {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  std::string hex_digest();  // finishes the hash; call once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view bytes);
std::string sha256_file(const std::filesystem::path& path);  // throws std::runtime_error naming the file
bool is_sha256_hex(std::string_view s);                      // 64 hex digits (either case)

}  // namespace edgeml
