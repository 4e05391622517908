#pragma once
// The controller's master key: 32 random bytes, as hex in a file of the state folder (0600), made on the first start.
// It is never written to the database, so a copy of the database alone unseals no device token and signs no model
// URL. Each use gets its own sub-key (libsodium crypto_kdf), so a URL signature can never open a sealed token.
#include <cstdint>
#include <filesystem>
#include <string>

namespace edgeml::secrets {

enum class KeyPurpose : std::uint64_t {
  seal_device_tokens = 1,  // Sealer: the tokens the controller presents to agents
  sign_model_urls = 2,     // UrlSigner: short-lived links agents pull models from
};

class MasterKey {
 public:
  // Reads the key file, or creates it (0600) when missing. Throws Error(unavailable, field = the file) when it cannot
  // be read or created, is open to others (chmod 600), or does not hold 64 hex digits.
  static MasterKey load_or_create(const std::filesystem::path& file);
  // From 32 raw bytes (tests). Throws Error(internal) for another length.
  static MasterKey from_bytes(std::string bytes);

  std::string derive(KeyPurpose purpose) const;  // 32 raw bytes

 private:
  explicit MasterKey(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace edgeml::secrets
