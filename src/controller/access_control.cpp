#include "controller/access_control.hpp"

#include "common/error.hpp"
#include "controller/roles.hpp"
#include "http/cookies.hpp"
#include "secrets/tokens.hpp"

namespace edgeml::controller {

namespace {

http::Identity anonymous() {
  http::Identity who;
  who.name = "anonymous";
  who.method = "anonymous";
  return who;
}

http::Identity local_admin() {
  http::Identity who;
  who.authenticated = true;
  who.role = http::Role::admin;
  who.name = "local";
  who.method = "local";
  return who;
}

[[noreturn]] void refuse(const std::string& why) { throw Error(ErrorKind::unauthorized, why, "Authorization"); }

}  // namespace

// A browser names the page a request comes from in Origin (and Sec-Fetch-Site); a change made through the session
// cookie, or a login, must come from our own pages.
void require_same_origin(const http::Request& req) {
  const std::string site = req.header("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none")
    throw Error(ErrorKind::forbidden, "cross-site request refused (Sec-Fetch-Site: " + site + ")", kCsrfHeader);
  if (!req.has_header("Origin")) return;
  const std::string origin = req.header("Origin");
  const std::string ours = std::string(req.tls ? "https://" : "http://") + req.header("Host");
  if (origin != ours)
    throw Error(ErrorKind::forbidden, "cross-site request refused: Origin " + origin.substr(0, 128) + " is not " + ours,
                kCsrfHeader);
}

bool is_safe_method(const std::string& method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

AccessControl::AccessControl(store::AuthStore& auth, const secrets::UrlSigner& links, const Clock& clock, bool required)
    : auth_(auth), links_(links), clock_(clock), required_(required) {}

http::Identity AccessControl::identify(const http::Request& req) {
  if (const std::string* header = req.headers.find("Authorization")) return from_bearer(*header);
  if (auto who = from_session(req)) return *who;
  if (auto who = from_link(req)) return *who;
  return required_ ? anonymous() : local_admin();
}

http::Identity AccessControl::from_bearer(const std::string& header) {
  if (header.rfind("Bearer ", 0) != 0) refuse("Authorization must be 'Bearer <token>'");
  const std::string token = header.substr(7);
  try {
    secrets::validate_token_text(token, "Authorization");
  } catch (const FieldError&) {
    refuse("the bearer token is malformed (16-512 visible characters)");
  }
  const std::string hash = secrets::token_hash(token);
  if (auto t = auth_.tokens().by_hash(hash)) {
    if (t->revoked_at) refuse("the token '" + t->name + "' was revoked");
    note_use(t->id);
    http::Identity who;
    who.authenticated = true;
    who.role = role_from_name(t->role);
    who.name = t->name;
    who.method = "token";
    return who;
  }
  if (auto e = auth_.enrollments().by_device_token_hash(hash)) {
    if (e->status != "accepted" || !e->device_id)
      refuse("the device credential of '" + e->name + "' is not valid (enrollment " + e->status + ")");
    http::Identity who;
    who.authenticated = true;
    who.role = http::Role::device;
    who.name = e->name;
    who.method = "device";
    who.device_id = *e->device_id;
    return who;
  }
  refuse("unknown token");
}

std::optional<http::Identity> AccessControl::from_session(const http::Request& req) {
  auto cookie = http::cookie_value(req, kSessionCookie);
  if (!cookie || cookie->empty()) return std::nullopt;
  auto session = auth_.sessions().live_by_hash(secrets::token_hash(*cookie), clock_.now_s());
  if (!session) return std::nullopt;  // expired or logged out: as if there were no cookie (the page asks to log in)
  auto user = auth_.users().by_id(session->user_id);
  if (!user) return std::nullopt;
  http::Identity who;
  who.authenticated = true;
  who.role = role_from_name(user->role);
  who.name = user->name;
  who.method = "session";
  const std::string sent = req.header(kCsrfHeader);
  who.csrf_checked = !sent.empty() && secrets::equal_constant_time(secrets::token_hash(sent), session->csrf_hash);
  if (!is_safe_method(req.method)) {
    require_same_origin(req);
    if (!who.csrf_checked)
      throw Error(ErrorKind::forbidden,
                  "this request changes something and came with the session cookie but without a valid " +
                      std::string(kCsrfHeader) + " header (send the value of the " + kCsrfCookie + " cookie)",
                  kCsrfHeader);
  }
  return who;
}

std::optional<http::Identity> AccessControl::from_link(const http::Request& req) {
  if (req.raw_path.rfind("/models/", 0) != 0) return std::nullopt;
  auto signature = req.query_value("signature");
  auto expires = req.query_value("expires");
  if (!signature && !expires) return std::nullopt;
  if (!signature || !expires || !links_.verify(req.raw_path, *expires, *signature, clock_.now_s()))
    refuse("this model link has expired or is not valid: ask the controller to deploy again");
  http::Identity who;
  who.authenticated = true;
  who.role = http::Role::device;
  who.name = "model link";
  who.method = "signed_url";
  return who;
}

void AccessControl::note_use(long long token_id) {
  const double now = clock_.now_s();
  {
    std::lock_guard lock(mu_);
    auto& last = last_noted_[token_id];
    if (now - last < 60) return;  // one write a minute per token at most
    last = now;
  }
  auth_.tokens().mark_used(token_id, now);
}

}  // namespace edgeml::controller
