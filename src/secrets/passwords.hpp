#pragma once
// Passwords of dashboard users: argon2id (libsodium crypto_pwhash_str) with libsodium's "interactive" limits, so a
// stolen database costs an attacker 64 MiB and a noticeable time per guess. Each check costs the same here: at most
// two run at once (a burst of logins must not take 64 MiB per worker thread).
#include <string>
#include <string_view>

namespace edgeml::secrets {

// Throws FieldError(field) for a password shorter than 10 or longer than 1024 bytes, or holding control characters.
void validate_password(std::string_view password, const std::string& field = "password");
// "$argon2id$v=19$m=65536,t=2,p=1$..." (the salt and the limits are inside). Throws Error(internal) when out of memory.
std::string hash_password(std::string_view password);
// False for a wrong password or a malformed hash.
bool verify_password(const std::string& hash, std::string_view password);

}  // namespace edgeml::secrets
