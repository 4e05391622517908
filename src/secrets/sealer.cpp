#include "secrets/sealer.hpp"

#include <sodium.h>

#include "common/error.hpp"
#include "secrets/encoding.hpp"

namespace edgeml::secrets {

namespace {
constexpr std::string_view kPrefix = "sealed1:";
}

Sealer::Sealer(const MasterKey& key) : key_(key.derive(KeyPurpose::seal_device_tokens)) {
  static_assert(crypto_secretbox_KEYBYTES == 32);
}

bool Sealer::is_sealed(std::string_view text) { return text.substr(0, kPrefix.size()) == kPrefix; }

std::string Sealer::seal(std::string_view plaintext) const {
  ensure_sodium();
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  return std::string(kPrefix) + to_base64url(box);
}

std::string Sealer::unseal(std::string_view sealed) const {
  ensure_sodium();
  if (!is_sealed(sealed)) throw Error(ErrorKind::unavailable, "not a sealed value (no 'sealed1:' prefix)");
  auto box = from_base64url(sealed.substr(kPrefix.size()));
  if (!box || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    throw Error(ErrorKind::unavailable, "a sealed value is malformed");
  const auto* nonce = reinterpret_cast<const unsigned char*>(box->data());
  std::string plain(box->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0)
    throw Error(ErrorKind::unavailable,
                "a sealed value does not open with this state folder's key (was secret.key replaced?)");
  return plain;
}

}  // namespace edgeml::secrets
