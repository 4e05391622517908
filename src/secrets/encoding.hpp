#pragma once
// Text forms of binary secrets: base64url without padding (tokens, sealed values: safe in headers, URLs and JSON)
// and lower-case hex (key files, signatures).
#include <optional>
#include <string>
#include <string_view>

namespace edgeml::secrets {

std::string to_base64url(std::string_view bytes);
std::optional<std::string> from_base64url(std::string_view text);  // nullopt when not base64url
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view text);  // nullopt when not hex of even length

// libsodium's one-time start; every function of this library calls it, so callers never need to.
void ensure_sodium();

}  // namespace edgeml::secrets
