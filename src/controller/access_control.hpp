#pragma once
// Who is asking the controller (the http::Server's Authenticator). In order:
//   - "Authorization: Bearer <t>": an API token (role from its row), or the credential of an accepted device (role
//     device). A revoked, unknown or malformed token is 401, never "anonymous".
//   - the edgeml_session cookie of a dashboard login (role of the user). A request that changes something must also
//     carry X-CSRF-Token with the session's CSRF token, and must not come from another origin: a page on another
//     site can make the browser send the cookie, but it can neither read the token nor forge Origin.
//   - a signed model link (/models/<file>?expires=&signature=): role device for that file only, until it expires.
//   - nothing: anonymous when authentication is required (a non-loopback address, or --require-auth), otherwise the
//     machine's own "local" admin (make run, the tests without credentials).
#include <map>
#include <mutex>

#include "common/clock.hpp"
#include "http/request.hpp"
#include "secrets/url_signer.hpp"
#include "store/auth_store.hpp"

namespace edgeml::controller {

inline constexpr const char* kSessionCookie = "edgeml_session";
inline constexpr const char* kCsrfCookie = "edgeml_csrf";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

class AccessControl {
 public:
  AccessControl(store::AuthStore& auth, const secrets::UrlSigner& links, const Clock& clock, bool required);
  http::Identity identify(const http::Request& req);
  bool required() const { return required_; }

 private:
  http::Identity from_bearer(const std::string& header);
  std::optional<http::Identity> from_session(const http::Request& req);
  std::optional<http::Identity> from_link(const http::Request& req);
  void note_use(long long token_id);

  store::AuthStore& auth_;
  const secrets::UrlSigner& links_;
  const Clock& clock_;
  bool required_;
  std::mutex mu_;
  std::map<long long, double> last_noted_;  // token id -> when its last_used_at was last written
};

// Safe methods (GET, HEAD, OPTIONS) never change state, so they need no CSRF token.
bool is_safe_method(const std::string& method);
// Throws Error(forbidden) when a browser says the request comes from a page of another site (Origin, Sec-Fetch-Site).
void require_same_origin(const http::Request& req);

}  // namespace edgeml::controller
