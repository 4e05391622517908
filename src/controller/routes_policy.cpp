// Battery policies of devices: GET /api/devices/:id/policy (the agent's view: the policy in force, the rule, the
// battery, its switches) and PUT /api/devices/:id/policy (a new policy, checked and applied by the agent; its 400
// naming the field comes back as ours). LAN devices only for now: an MQTT device has no policy command yet.
#include "common/error.hpp"
#include "controller/agent_client.hpp"
#include "controller/app.hpp"
#include "controller/device_lookup.hpp"
#include "controller/json_request.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {
AgentReply call_agent(const Device& d, const std::string& method, const nlohmann::json& body) {
  if (d.transport != "lan")
    throw Error(ErrorKind::unavailable,
                "device " + d.name + " uses " + d.transport + ": battery policies reach LAN devices only so far",
                "transport");
  AgentClient client(d.address, d.token, 10);
  try {
    return method == "PUT" ? client.put("/policy", body) : client.get("/policy");
  } catch (const AgentUnreachable& e) {
    throw Error(ErrorKind::upstream_failed, "device " + d.name + " did not answer: " + e.what(), "device");
  }
}

void reply_from_agent(const Device& d, const AgentReply& r, http::Response& res) {
  if (r.status == 400)
    throw FieldError(r.body.is_object() ? r.body.value("field", "policy") : "policy",
                     "device " + d.name + " refused the policy: " + r.error_text());
  if (r.status < 200 || r.status >= 300)
    throw Error(ErrorKind::upstream_failed, "device " + d.name + " answered: " + r.error_text(), "device");
  http::reply_json(res, {{"success", true}, {"device", d.name}, {"policy", r.body}});
}
}  // namespace

void register_policy_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/api/devices/:id/policy", .role = http::Role::viewer, .blocking = true},
             [&app](http::Request& req, http::Response& res) {
               auto d = device_from_path(app.store(), req.param("id"));
               reply_from_agent(d, call_agent(d, "GET", nullptr), res);
             });

  router.add({.method = "PUT",
              .pattern = "/api/devices/:id/policy",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true,
              .blocking = true},
             [&app](http::Request& req, http::Response& res) {
               auto d = device_from_path(app.store(), req.param("id"));
               auto body = json_request(req);
               if (!body.is_object()) throw FieldError("body", "expected a JSON object {rules, hysteresis_pct, ...}");
               reply_from_agent(d, call_agent(d, "PUT", body), res);
             });
}

}  // namespace edgeml::controller
