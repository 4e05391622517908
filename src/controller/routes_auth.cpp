// Who may do what, over HTTP: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me (dashboard sessions);
// GET/POST /api/tokens, DELETE /api/tokens/<id> (API tokens, the secret shown once); GET/POST /api/users,
// DELETE /api/users/<id>, PUT /api/users/<id>/password; GET /api/audit (who changed what); GET /api/routes (every
// route with the role it needs: the roles matrix, read from the router itself).
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"
#include "controller/app.hpp"
#include "controller/json_request.hpp"
#include "controller/roles.hpp"
#include "http/cookies.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"
#include "secrets/passwords.hpp"
#include "secrets/tokens.hpp"

namespace edgeml::controller {

namespace {

long long id_param(const http::Request& req) {
  auto id = parse_int(req.param("id"));
  if (!id || *id < 1) throw NotFoundError("'" + req.param("id").substr(0, 32) + "' is not an id", "id");
  return *id;
}

nlohmann::json to_json(const store::ApiToken& t) {
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"id", t.id},
          {"name", t.name},
          {"role", t.role},
          {"created_by", t.created_by},
          {"created_at", t.created_at},
          {"last_used_at", opt(t.last_used_at)},
          {"revoked_at", opt(t.revoked_at)},
          {"active", !t.revoked_at}};
}

nlohmann::json to_json(const store::User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"role", u.role},
          {"created_by", u.created_by},
          {"created_at", u.created_at},
          {"last_login_at", u.last_login_at ? nlohmann::json(*u.last_login_at) : nlohmann::json()}};
}

nlohmann::json to_json(const store::AuditEntry& e) {
  return {
      {"id", e.id},         {"t", e.t},       {"actor", e.actor},   {"method", e.actor_method}, {"role", e.actor_role},
      {"action", e.action}, {"path", e.path}, {"status", e.status}, {"remote_ip", e.remote_ip}, {"detail", e.detail}};
}

nlohmann::json identity_json(const http::Identity& who) {
  return {{"authenticated", who.authenticated},
          {"name", who.name},
          {"role", who.authenticated ? http::to_string(who.role) : ""},
          {"method", who.method}};
}

void set_session_cookies(http::Response& res, const std::string& session, const std::string& csrf, bool tls,
                         long long max_age_s) {
  res.headers.add("Set-Cookie", http::set_cookie_value(kSessionCookie, session, {true, tls, max_age_s}));
  res.headers.add("Set-Cookie", http::set_cookie_value(kCsrfCookie, csrf, {false, tls, max_age_s}));
}

}  // namespace

void register_auth_routes(ControllerApp& app, http::Router& router) {
  Security& sec = app.security();

  router.add({.method = "POST",
              .pattern = "/api/auth/login",
              .role = http::Role::anyone,
              .body = http::Body::json,
              .max_body_bytes = 8 << 10,
              .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               sec.login_limit().take(req.remote_ip);
               require_same_origin(req);  // another site must not log the browser into an account of its choosing
               auto body = json_request(req);
               if (!body.is_object()) throw FieldError("body", "expected {name, password}");
               std::string name = require_string(body, "name", 128);
               std::string password = require_string(body, "password", 1024);
               auto r = sec.logins().login(name, password);
               set_session_cookies(res, r.session_token, r.csrf_token, req.tls,
                                   static_cast<long long>(sec.logins().session_s()));
               // The audit log names who logged in (the request came without credentials).
               req.identity.authenticated = true;
               req.identity.role = role_from_name(r.user.role);
               req.identity.name = r.user.name;
               req.identity.method = "password";
               http::reply_json(res, {{"success", true},
                                      {"user", {{"name", r.user.name}, {"role", r.user.role}}},
                                      {"csrf_token", r.csrf_token},
                                      {"expires_at", r.expires_at}});
             });

  router.add({.method = "POST", .pattern = "/api/auth/logout", .role = http::Role::anyone, .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               if (auto cookie = http::cookie_value(req, kSessionCookie); cookie && !cookie->empty())
                 sec.logins().logout(*cookie);
               set_session_cookies(res, "", "", req.tls, 0);
               http::reply_json(res, {{"success", true}});
             });

  router.add({.method = "GET", .pattern = "/api/auth/me", .role = http::Role::anyone},
             [&sec](http::Request& req, http::Response& res) {
               auto j = identity_json(req.identity);
               j["success"] = true;
               j["auth_required"] = sec.required();
               http::reply_json(res, j);
             });

  // ---- API tokens ----------------------------------------------------------------------------------------------
  router.add({.method = "GET", .pattern = "/api/tokens", .role = http::Role::admin},
             [&sec](http::Request&, http::Response& res) {
               nlohmann::json list = nlohmann::json::array();
               for (const auto& t : sec.auth().tokens().all()) list.push_back(to_json(t));
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"tokens", list}});
             });

  router.add({.method = "POST",
              .pattern = "/api/tokens",
              .role = http::Role::admin,
              .body = http::Body::json,
              .max_body_bytes = 8 << 10,
              .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               auto body = json_request(req);
               if (!body.is_object()) throw FieldError("body", "expected {name, role}");
               store::ApiToken t;
               t.name = require_string(body, "name", 128);
               validate_name(t.name, "name");
               t.role = require_string(body, "role", 16);
               role_from_name(t.role);
               std::string secret = secrets::random_token("emt");
               t.token_hash = secrets::token_hash(secret);
               t.created_by = req.identity.name;
               t.created_at = sec.clock().now_s();
               auto saved = sec.auth().tokens().add(t);
               auto j = to_json(saved);
               j["token"] = secret;  // shown this once; only its hash is kept
               http::reply_json(res, {{"success", true}, {"token", j}}, 201);
             });

  router.add({.method = "DELETE", .pattern = "/api/tokens/:id", .role = http::Role::admin, .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               long long id = id_param(req);
               if (!sec.auth().tokens().revoke(id, sec.clock().now_s()))
                 throw NotFoundError("no active token with id " + std::to_string(id), "id");
               http::reply_json(res, {{"success", true}, {"token", to_json(*sec.auth().tokens().by_id(id))}});
             });

  // ---- users ---------------------------------------------------------------------------------------------------
  router.add({.method = "GET", .pattern = "/api/users", .role = http::Role::admin},
             [&sec](http::Request&, http::Response& res) {
               nlohmann::json list = nlohmann::json::array();
               for (const auto& u : sec.auth().users().all()) list.push_back(to_json(u));
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"users", list}});
             });

  router.add({.method = "POST",
              .pattern = "/api/users",
              .role = http::Role::admin,
              .body = http::Body::json,
              .max_body_bytes = 8 << 10,
              .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               auto body = json_request(req);
               if (!body.is_object()) throw FieldError("body", "expected {name, role, password}");
               store::User u;
               u.name = require_string(body, "name", 128);
               validate_name(u.name, "name");
               u.role = require_string(body, "role", 16);
               if (role_from_name(u.role) == http::Role::device)
                 throw FieldError("role", "a user's role is viewer, operator or admin");
               std::string password = require_string(body, "password", 1024);
               secrets::validate_password(password);
               u.password_hash = secrets::hash_password(password);
               u.created_by = req.identity.name;
               u.created_at = sec.clock().now_s();
               http::reply_json(res, {{"success", true}, {"user", to_json(sec.auth().users().add(u))}}, 201);
             });

  router.add({.method = "DELETE", .pattern = "/api/users/:id", .role = http::Role::admin, .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               long long id = id_param(req);
               if (!sec.auth().users().remove(id)) throw NotFoundError("no user with id " + std::to_string(id), "id");
               http::reply_json(res, {{"success", true}, {"id", id}});
             });

  router.add({.method = "PUT",
              .pattern = "/api/users/:id/password",
              .role = http::Role::admin,
              .body = http::Body::json,
              .max_body_bytes = 8 << 10,
              .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               long long id = id_param(req);
               auto body = json_request(req);
               if (!body.is_object()) throw FieldError("body", "expected {password}");
               std::string password = require_string(body, "password", 1024);
               secrets::validate_password(password);
               if (!sec.auth().users().by_id(id)) throw NotFoundError("no user with id " + std::to_string(id), "id");
               sec.auth().users().set_password(id, secrets::hash_password(password));
               http::reply_json(res, {{"success", true}, {"id", id}, {"sessions_ended", true}});
             });

  router.add({.method = "GET", .pattern = "/api/routes", .role = http::Role::viewer},
             [&router](http::Request&, http::Response& res) {
               nlohmann::json list = nlohmann::json::array();
               for (const auto& r : router.routes())  // read at request time: routes added after this one too
                 list.push_back({{"method", r->options.method},
                                 {"pattern", r->options.pattern},
                                 {"role", http::to_string(r->options.role)},
                                 {"mutates", r->options.mutates}});
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"routes", list}});
             });

  // ---- audit ---------------------------------------------------------------------------------------------------
  router.add({.method = "GET", .pattern = "/api/audit", .role = http::Role::admin},
             [&sec](http::Request& req, http::Response& res) {
               int limit = static_cast<int>(http::query_int(req, "limit", 1, 1000).value_or(100));
               auto before = http::query_int(req, "before", 1, 1LL << 62);
               nlohmann::json list = nlohmann::json::array();
               for (const auto& e : sec.auth().audit().recent(limit, before)) list.push_back(to_json(e));
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"entries", list}});
             });
}

}  // namespace edgeml::controller
