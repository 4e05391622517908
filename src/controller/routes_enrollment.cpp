// Device enrollment over HTTP: POST /api/enroll (an agent with an enrollment token; asked again until decided),
// GET /api/enrollments?status=, GET /api/enrollments/<id>, POST /api/enrollments/<id>/accept|reject|revoke (admin).
#include "common/error.hpp"
#include "common/strings.hpp"
#include "controller/app.hpp"
#include "controller/json_request.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {

long long enrollment_id(const http::Request& req) {
  auto id = parse_int(req.param("id"));
  if (!id || *id < 1) throw NotFoundError("'" + req.param("id").substr(0, 32) + "' is not an enrollment id", "id");
  return *id;
}

void reply_enrollment(http::Response& res, const store::Enrollment& e, int status = 200) {
  http::reply_json(res, {{"success", true}, {"enrollment", to_json(e)}}, status);
}

}  // namespace

void register_enrollment_routes(ControllerApp& app, http::Router& router) {
  Security& sec = app.security();

  router.add({.method = "POST",
              .pattern = "/api/enroll",
              .role = http::Role::device,
              .body = http::Body::json,
              .max_body_bytes = 16 << 10,
              .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               auto request = parse_enroll_request(json_request(req), req.remote_ip);
               auto [e, fresh] = sec.enrollments().enroll(request, req.identity.name, req.remote_ip);
               reply_enrollment(res, e, fresh ? 202 : 200);
             });

  router.add({.method = "GET", .pattern = "/api/enrollments", .role = http::Role::admin}, [&sec](http::Request& req,
                                                                                                 http::Response& res) {
    std::string status = http::query_string(req, "status", 16).value_or("");
    if (!status.empty() && status != "pending" && status != "accepted" && status != "rejected" && status != "revoked")
      throw FieldError("status", "status must be pending, accepted, rejected or revoked");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : sec.auth().enrollments().all(status)) list.push_back(to_json(e));
    http::reply_json(res, {{"success", true}, {"count", list.size()}, {"enrollments", list}});
  });

  router.add({.method = "GET", .pattern = "/api/enrollments/:id", .role = http::Role::admin},
             [&sec](http::Request& req, http::Response& res) {
               reply_enrollment(res, sec.enrollments().get(enrollment_id(req)));
             });

  router.add({.method = "POST",
              .pattern = "/api/enrollments/:id/accept",
              .role = http::Role::admin,
              .body = http::Body::json,
              .max_body_bytes = 8 << 10,
              .body_optional = true,
              .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               auto changes = parse_accept_changes(req.body.empty() ? nlohmann::json() : json_request(req));
               reply_enrollment(res, sec.enrollments().accept(enrollment_id(req), changes, req.identity.name));
             });

  router.add({.method = "POST", .pattern = "/api/enrollments/:id/reject", .role = http::Role::admin, .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               reply_enrollment(res, sec.enrollments().reject(enrollment_id(req), req.identity.name));
             });

  router.add({.method = "POST", .pattern = "/api/enrollments/:id/revoke", .role = http::Role::admin, .mutates = true},
             [&sec](http::Request& req, http::Response& res) {
               reply_enrollment(res, sec.enrollments().revoke(enrollment_id(req), req.identity.name));
             });
}

}  // namespace edgeml::controller
