// Devices: POST/GET /api/devices (transport lan with an address, or mqtt: the agent connects to the broker),
// GET /api/devices/<id>, POST /api/devices/<id>/rollback,
// GET /api/devices/<id>/telemetry?since=&until=&step=, GET /api/devices/<id>/telemetry/stream (server-sent events).
#include "catalog/device_profile.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "controller/agent_client.hpp"
#include "controller/app.hpp"
#include "controller/device_lookup.hpp"
#include "controller/failure_status.hpp"
#include "controller/json_request.hpp"
#include "controller/sse.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

void register_device_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "POST",
              .pattern = "/api/devices",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true},
             [&app](http::Request& req, http::Response& res) {
               auto body = json_request(req);
               if (!body.is_object())
                 throw FieldError("body", "expected a JSON object {name, address, device_type, token, transport?}");
               Device d;
               d.name = require_string(body, "name", 128);
               validate_name(d.name, "name");
               d.transport = parse_transport_name(optional_string(body, "transport", 8).value_or("lan"));
               d.address =
                   optional_string(body, "address", 255).value_or(optional_string(body, "bbb_ip", 255).value_or(""));
               if (d.address.empty() && d.transport == "lan")
                 throw FieldError("address", "address (host:port of the device's agent) is required");
               if (!d.address.empty() && d.address.find(':') == std::string::npos) d.address += ":8000";
               if (!d.address.empty()) split_address(d.address, "address");  // MQTT devices: none (never called)
               d.device_type = catalog::normalize_device_type(require_string(body, "device_type", 64));
               if (d.device_type.empty()) throw FieldError("device_type", "device_type must not be empty");
               d.token = optional_string(body, "token", 512).value_or("");
               d.created_at = app.clock().now_s();
               auto saved = app.store().devices().add(d);
               auto j = to_json(saved);
               j["known_device_type"] = app.catalog()->has_device(saved.device_type);
               http::reply_json(res, {{"success", true}, {"device", j}}, 201);
             });

  router.add({.method = "GET", .pattern = "/api/devices", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               nlohmann::json list = nlohmann::json::array();
               for (const auto& d : app.store().devices().all()) list.push_back(to_json(d));
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"devices", list}});
             });

  router.add({.method = "GET", .pattern = "/api/devices/:id", .role = http::Role::viewer}, [&app](http::Request& req,
                                                                                                  http::Response& res) {
    http::reply_json(res, {{"success", true}, {"device", to_json(device_from_path(app.store(), req.param("id")))}});
  });

  router.add({.method = "POST",
              .pattern = "/api/devices/:id/rollback",
              .role = http::Role::operator_,
              .mutates = true,
              .blocking = true},
             [&app](http::Request& req, http::Response& res) {
               auto d = device_from_path(app.store(), req.param("id"));
               long long id = app.deployer().rollback(d);
               auto rec = *app.store().deployments().get(id);
               auto j = to_json(rec, app.store().deployments().steps(id));
               bool ok = rec.status == "succeeded";
               j["success"] = ok;
               j["message"] = ok ? "rolled back to " + rec.model_name : rec.error;
               http::reply_json(res, j, rollback_http_status(rec));
             });

  router.add({.method = "GET", .pattern = "/api/devices/:id/telemetry", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               auto d = device_from_path(app.store(), req.param("id"));
               double now = app.clock().now_s();
               double since = http::query_number(req, "since", {0, 1e11}).value_or(now - 3600);
               double until = http::query_number(req, "until", {0, 1e11}).value_or(now + 1);
               double step = http::query_number(req, "step", {0, 86400 * 30}).value_or(0);
               if (until <= since) throw FieldError("until", "until must be after since");
               nlohmann::json samples = nlohmann::json::array();
               for (const auto& s : app.store().telemetry().range(d.id, since, until, step))
                 samples.push_back(to_json(s));
               http::reply_json(res, {{"success", true},
                                      {"device", to_json(d)},
                                      {"since", since},
                                      {"until", until},
                                      {"step", step},
                                      {"count", samples.size()},
                                      {"samples", samples}});
             });

  router.add({.method = "GET", .pattern = "/api/devices/:id/telemetry/stream", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               auto d = device_from_path(app.store(), req.param("id"));
               std::vector<Event> initial;
               double now = app.clock().now_s();
               auto recent = app.store().telemetry().range(d.id, now - 600, now + 1, 0);
               if (!recent.empty()) initial.push_back({0, "sample", to_json(recent.back())});
               reply_event_stream(res, app.events(), TelemetryPoller::topic(d.id), initial, true);
             });
}

}  // namespace edgeml::controller
