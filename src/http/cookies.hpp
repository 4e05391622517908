#pragma once
// Cookies of the dashboard's login: reading one from the Cookie header, and writing Set-Cookie values that browsers
// keep away from scripts (HttpOnly) and from other sites' requests (SameSite=Strict).
#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace edgeml::http {

// The value of the first cookie called `name` in the request's Cookie header(s); nullopt when absent.
std::optional<std::string> cookie_value(const Request& req, std::string_view name);

struct CookieOptions {
  bool http_only = true;    // false only for a value the page's script must read (the CSRF token)
  bool secure = false;      // sent over TLS only; set when the request came over TLS
  long long max_age_s = 0;  // 0 = remove the cookie
};

// "name=value; Path=/; Max-Age=N; SameSite=Strict[; HttpOnly][; Secure]". Throws FieldError(name) when the value
// holds characters a cookie may not (anything but visible ASCII without '"', ',', ';' and '\').
std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options);

}  // namespace edgeml::http
