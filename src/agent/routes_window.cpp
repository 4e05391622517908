// The fleet measuring itself: POST /benchmark/window runs the bounded post-deploy benchmark window on the active model
// (benchmark_service.hpp) and answers with catalog rows for the controller; POST /critical {"reason", "seconds"} and
// DELETE /critical take and give back the critical-work lease that keeps windows away (critical_lease.hpp).
#include <mutex>

#include "agent/agent.hpp"
#include "agent/benchmark_service.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "http/replies.hpp"

namespace edgeml::agent {

namespace {

struct WindowCall {
  WindowRequest request;
  std::string device_type;
};

// {max_seconds?, max_inferences?, runs?, warmup?, device_type?}; FieldError naming the field.
WindowCall parse_window_call(const nlohmann::json& body) {
  if (!body.is_object()) throw FieldError("body", "request body must be a JSON object");
  for (const auto& [key, value] : body.items())
    if (key != "max_seconds" && key != "max_inferences" && key != "runs" && key != "warmup" && key != "device_type")
      throw FieldError(key, "unknown field '" + key + "' (max_seconds, max_inferences, runs, warmup, device_type)");
  auto whole = [&](const char* f, int& out) {
    if (auto v = optional_number(body, f, {0, 1e6})) {
      if (*v != static_cast<double>(static_cast<long long>(*v)))
        throw FieldError(f, std::string("'") + f + "' must be a whole number");
      out = static_cast<int>(*v);
    }
  };
  WindowCall c;
  if (auto s = optional_number(body, "max_seconds", {0, 1e6})) c.request.max_seconds = *s;
  whole("max_inferences", c.request.max_inferences);
  whole("runs", c.request.runs);
  whole("warmup", c.request.warmup);
  check_window_request(c.request);  // the ranges, naming the field
  if (auto d = optional_string(body, "device_type", 64)) {
    validate_name(*d, "device_type");
    c.device_type = *d;
  }
  return c;
}

}  // namespace

void add_window_routes(http::Router& router, AgentParts& p) {
  router.add({.method = "POST",
              .pattern = "/benchmark/window",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .body_optional = true,
              .blocking = true},
             [&p](http::Request& req, http::Response& res) {
               auto call = parse_window_call(req.body.empty() ? nlohmann::json::object() : parse_json_body(req.body));
               // One window at a time: two would share the device and each measure the other's inferences.
               static std::mutex one_window;
               std::unique_lock lock(one_window, std::try_to_lock);
               if (!lock.owns_lock()) throw Error(ErrorKind::conflict, "a benchmark window is already running");
               http::reply_json(
                   res, run_post_deploy_window(call.request, p.host, p.store, p.loop, p.telemetry, p.device, p.options,
                                               p.clock, call.device_type, [&p] { return p.critical.check(); }));
             });

  router.add({.method = "POST",
              .pattern = "/critical",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true},
             [&p](http::Request& req, http::Response& res) {
               auto body = parse_json_body(req.body);
               if (!body.is_object()) throw FieldError("body", "expected {\"reason\": \"...\", \"seconds\": N}");
               p.critical.take(require_string(body, "reason", 256), require_number(body, "seconds", {0, 1e12}));
               http::reply_json(res, {{"success", true}, {"critical", p.critical.to_json()}});
             });

  router.add({.method = "DELETE", .pattern = "/critical", .role = http::Role::operator_, .mutates = true},
             [&p](http::Request&, http::Response& res) {
               p.critical.release();
               http::reply_json(res, {{"success", true}, {"critical", p.critical.to_json()}});
             });

  router.add({.method = "GET", .pattern = "/critical", .role = http::Role::anyone},
             [&p](http::Request&, http::Response& res) { http::reply_json(res, p.critical.to_json()); });
}

}  // namespace edgeml::agent
