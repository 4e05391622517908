#include "secrets/url_signer.hpp"

#include <sodium.h>

#include "common/strings.hpp"
#include "secrets/encoding.hpp"
#include "secrets/tokens.hpp"

namespace edgeml::secrets {

UrlSigner::UrlSigner(const MasterKey& key) : key_(key.derive(KeyPurpose::sign_model_urls)) {
  static_assert(crypto_auth_hmacsha256_KEYBYTES == 32);
}

std::string UrlSigner::mac(std::string_view path, std::string_view expires) const {
  ensure_sodium();
  // The newline cannot occur in a request path, so ("/a", "1\n2") and ("/a\n1", "2") never sign the same bytes.
  std::string message = std::string(path) + "\n" + std::string(expires);
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(out, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         reinterpret_cast<const unsigned char*>(key_.data()));
  return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string UrlSigner::query(std::string_view path, long long expires_s) const {
  std::string expires = std::to_string(expires_s);
  return "expires=" + expires + "&signature=" + mac(path, expires);
}

bool UrlSigner::verify(std::string_view path, std::string_view expires, std::string_view signature,
                       double now_s) const {
  auto t = parse_int(expires);
  if (!t || static_cast<double>(*t) < now_s) return false;
  return equal_constant_time(mac(path, expires), signature);
}

}  // namespace edgeml::secrets
