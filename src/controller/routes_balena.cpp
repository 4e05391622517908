// GET /api/balena/devices?app_slug=&online_only= : the Balena fleet's devices (503 when no token is configured).
#include "common/error.hpp"
#include "controller/app.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

void register_balena_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/api/balena/devices", .role = http::Role::viewer, .blocking = true},
             [&app](http::Request& req, http::Response& res) {
               auto settings = app.balena();
               if (settings.token.empty()) throw Error(ErrorKind::unavailable, "BALENA_API_TOKEN is not configured");
               auto slug = http::query_string(req, "app_slug", 200);
               if (!slug) slug = http::query_string(req, "app", 200);  // the original parameter name
               if (!slug || slug->empty())
                 throw FieldError("app_slug", "app_slug (the fleet's slug, e.g. myorg/edge-fleet) is required");
               bool online_only = http::query_bool(req, "online_only").value_or(false);
               http::reply_json(res, balena_list_devices(settings, *slug, online_only));
             });
}

}  // namespace edgeml::controller
