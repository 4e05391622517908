#include "secrets/tokens.hpp"

#include <sodium.h>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "secrets/encoding.hpp"

namespace edgeml::secrets {

std::string random_token(std::string_view prefix) {
  ensure_sodium();
  std::string bytes(32, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return std::string(prefix) + "_" + to_base64url(bytes);
}

std::string token_hash(std::string_view token) { return sha256_hex(token); }

bool equal_constant_time(std::string_view a, std::string_view b) {
  ensure_sodium();
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void validate_token_text(std::string_view token, const std::string& field) {
  if (token.size() < 16 || token.size() > 512)
    throw FieldError(field, field + " must be 16-512 characters long, got " + std::to_string(token.size()));
  for (unsigned char c : token)
    if (c <= 0x20 || c >= 0x7f)
      throw FieldError(field, field + " may hold only visible ASCII characters (no spaces or control characters)");
}

}  // namespace edgeml::secrets
