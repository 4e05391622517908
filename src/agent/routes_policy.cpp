// The battery policy: GET /policy (what is in force and why), PUT /policy (a new policy, e.g. from the controller;
// 400 naming the field when it is wrong, and the old policy stays).
#include "agent/agent.hpp"
#include "common/json_fields.hpp"
#include "http/replies.hpp"

namespace edgeml::agent {

void add_policy_routes(http::Router& router, AgentParts& p) {
  router.add({.method = "GET", .pattern = "/policy", .role = http::Role::anyone},
             [&p](http::Request&, http::Response& res) { http::reply_json(res, p.policy->status_json()); });

  router.add({.method = "PUT",
              .pattern = "/policy",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .max_body_bytes = 64 << 10,
              .mutates = true},
             [&p](http::Request& req, http::Response& res) {
               auto policy = p.policy->set_policy(parse_json_body(req.body));
               http::reply_json(res, {{"success", true}, {"policy", policy}});
             });
}

}  // namespace edgeml::agent
