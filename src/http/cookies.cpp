#include "http/cookies.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::http {

std::optional<std::string> cookie_value(const Request& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (!iequals(k, "Cookie")) continue;
    for (const auto& part : split(v, ';')) {
      auto item = trim(part);
      auto eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim(item.substr(0, eq)) == name) return std::string(trim(item.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options) {
  for (unsigned char c : value)
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
      throw FieldError(std::string(name), "a cookie value may hold only visible ASCII without '\"', ',', ';', '\\'");
  std::string out = std::string(name) + "=" + std::string(value) +
                    "; Path=/; Max-Age=" + std::to_string(options.max_age_s) + "; SameSite=Strict";
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  return out;
}

}  // namespace edgeml::http
