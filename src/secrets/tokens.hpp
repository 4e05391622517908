#pragma once
// Bearer tokens: made from the OS's random source, shown once, stored only as a hash, compared in constant time.
#include <string>
#include <string_view>

namespace edgeml::secrets {

// "<prefix>_" + 43 base64url characters (32 random bytes). The prefix says what a token is for when one turns up in
// a log or a leak scan ("emt" API token, "emd" device credential, "ema" the controller's key to an agent).
std::string random_token(std::string_view prefix);

// What is stored instead of a token: hex SHA-256. A token carries 256 random bits, so a fast hash cannot be searched;
// slow hashes (argon2id) are for passwords, which people choose.
std::string token_hash(std::string_view token);

// Equal length and bytes, without an early exit that would tell an attacker how much of a guess was right.
bool equal_constant_time(std::string_view a, std::string_view b);

// Throws FieldError(field) unless the token is 16-512 visible ASCII characters (no spaces or control characters), so
// whatever is accepted as a credential can go into a header and never breaks a log line.
void validate_token_text(std::string_view token, const std::string& field);

}  // namespace edgeml::secrets
