#include "secrets/master_key.hpp"

#include <sodium.h>

#include "common/error.hpp"
#include "common/strings.hpp"
#include "secrets/encoding.hpp"
#include "secrets/secret_files.hpp"

namespace edgeml::secrets {

MasterKey MasterKey::load_or_create(const std::filesystem::path& file) {
  ensure_sodium();
  std::string fresh(crypto_kdf_KEYBYTES, '\0');
  randombytes_buf(fresh.data(), fresh.size());
  // Whoever links the file first wins; a second process starting at once reads the same key back.
  if (create_secret_file(file, to_hex(fresh) + "\n")) return MasterKey(std::move(fresh));
  auto bytes = from_hex(trim(read_secret_file(file)));
  if (!bytes || bytes->size() != crypto_kdf_KEYBYTES)
    throw Error(ErrorKind::unavailable,
                file.string() +
                    " must hold the master key as 64 hex digits; restore it from a backup (sealed device "
                    "tokens and signed links cannot be opened without it)",
                file.string());
  return MasterKey(std::move(*bytes));
}

MasterKey MasterKey::from_bytes(std::string bytes) {
  if (bytes.size() != crypto_kdf_KEYBYTES) throw Error(ErrorKind::internal, "a master key is 32 bytes");
  return MasterKey(std::move(bytes));
}

std::string MasterKey::derive(KeyPurpose purpose) const {
  ensure_sodium();
  std::string sub(32, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(sub.data()), sub.size(),
                             static_cast<std::uint64_t>(purpose), "edgemlk1",
                             reinterpret_cast<const unsigned char*>(key_.data()));
  return sub;
}

}  // namespace edgeml::secrets
