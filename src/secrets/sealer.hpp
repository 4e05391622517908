#pragma once
// Sealing a secret the controller must be able to read back (the token it presents to an agent): XSalsa20-Poly1305
// (libsodium crypto_secretbox) under a sub-key of the master key, a fresh random nonce each time. What is stored is
// "sealed1:" + base64url(nonce || ciphertext): useless without the key file, and any change to it is detected.
#include <string>
#include <string_view>

#include "secrets/master_key.hpp"

namespace edgeml::secrets {

class Sealer {
 public:
  explicit Sealer(const MasterKey& key);
  std::string seal(std::string_view plaintext) const;
  // Throws Error(unavailable) when `sealed` is malformed, was changed, or was sealed under another key.
  std::string unseal(std::string_view sealed) const;
  static bool is_sealed(std::string_view text);

 private:
  std::string key_;
};

}  // namespace edgeml::secrets
