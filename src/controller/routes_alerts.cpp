// Alerts: GET/POST /api/alerts/rules, GET/PUT/DELETE /api/alerts/rules/:name (operators change, viewers read),
// GET /api/alerts (active now), GET /api/alerts/history?from=&to=&limit=&format=json|csv,
// GET /api/alerts/deliveries (each notification with its attempts; failures with their error),
// GET /api/alerts/metrics (what a rule can watch, with units).
#include "alerts/metric.hpp"
#include "common/error.hpp"
#include "controller/app.hpp"
#include "controller/json_request.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {
nlohmann::json rules_json(const std::vector<alerts::AlertRule>& rules) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : rules) list.push_back(alerts::to_json(r));
  return list;
}
}  // namespace

void register_alert_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/api/alerts/rules", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               auto rules = app.alerting().rules();
               http::reply_json(res, {{"success", true}, {"count", rules.size()}, {"rules", rules_json(rules)}});
             });

  router.add({.method = "POST",
              .pattern = "/api/alerts/rules",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true},
             [&app](http::Request& req, http::Response& res) {
               auto rule = app.alerting().add_rule(json_request(req));
               http::reply_json(res, {{"success", true}, {"rule", alerts::to_json(rule)}}, 201);
             });

  router.add(
      {.method = "GET", .pattern = "/api/alerts/rules/:name", .role = http::Role::viewer},
      [&app](http::Request& req, http::Response& res) {
        http::reply_json(res, {{"success", true}, {"rule", alerts::to_json(app.alerting().rule(req.param("name")))}});
      });

  router.add({.method = "PUT",
              .pattern = "/api/alerts/rules/:name",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true},
             [&app](http::Request& req, http::Response& res) {
               auto rule = app.alerting().replace_rule(req.param("name"), json_request(req));
               http::reply_json(res, {{"success", true}, {"rule", alerts::to_json(rule)}});
             });

  router.add({.method = "DELETE", .pattern = "/api/alerts/rules/:name", .role = http::Role::operator_, .mutates = true},
             [&app](http::Request& req, http::Response& res) {
               app.alerting().remove_rule(req.param("name"));
               http::reply_json(res, {{"success", true}, {"removed", req.param("name")}});
             });

  router.add({.method = "GET", .pattern = "/api/alerts", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               nlohmann::json list = nlohmann::json::array();
               for (const auto& a : app.alerting().active()) list.push_back(alerts::to_json(a));
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"alerts", list}});
             });

  router.add({.method = "GET", .pattern = "/api/alerts/history", .role = http::Role::viewer}, [&app](
                                                                                                  http::Request& req,
                                                                                                  http::Response& res) {
    double now = app.clock().now_s();
    double from = http::query_number(req, "from", {0, 1e11}).value_or(now - 7 * 86400);
    double to = http::query_number(req, "to", {0, 1e11}).value_or(now + 1);
    if (to <= from) throw FieldError("to", "to must be after from (Unix seconds)");
    long long limit = http::query_int(req, "limit", 1, 100000).value_or(10000);
    std::string format = http::query_string(req, "format", 8).value_or("json");
    if (format != "json" && format != "csv")
      throw FieldError("format", "format must be json or csv, got '" + format + "'");
    auto history = app.alerting().history(from, to, limit);
    if (format == "csv") {
      res.set_header("Content-Disposition", "attachment; filename=\"alert-history.csv\"");
      res.set_content(alerts::transitions_csv(history), "text/csv; charset=utf-8");
      return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : history) list.push_back(alerts::to_json(t));
    http::reply_json(res, {{"success", true}, {"from", from}, {"to", to}, {"count", list.size()}, {"history", list}});
  });

  router.add({.method = "GET", .pattern = "/api/alerts/deliveries", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               nlohmann::json list = nlohmann::json::array();
               size_t failed = 0, pending = 0;
               for (const auto& d : app.alerting().deliveries()) {
                 list.push_back(alerts::to_json(d));
                 failed += d.status == alerts::Delivery::Status::failed;
                 pending += d.status == alerts::Delivery::Status::pending;
               }
               http::reply_json(res, {{"success", true},
                                      {"count", list.size()},
                                      {"failed", failed},
                                      {"pending", pending},
                                      {"deliveries", list}});
             });

  router.add({.method = "GET", .pattern = "/api/alerts/metrics", .role = http::Role::viewer}, [](http::Request&,
                                                                                                 http::Response& res) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : alerts::all_metrics())
      list.push_back({{"metric", m.name}, {"unit", m.unit}, {"description", m.description}, {"event", m.is_event}});
    http::reply_json(res, {{"success", true}, {"metrics", list}});
  });
}

}  // namespace edgeml::controller
