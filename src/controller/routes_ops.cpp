// GET /healthz, GET /metrics (Prometheus text: requests and latency by route, catalog rows by device and flag, the
// fleet: fleet_metrics.hpp), GET /api/prometheus/targets (the agents, for Prometheus' HTTP service discovery).
#include <set>
#include <sstream>

#include "controller/app.hpp"
#include "controller/fleet_metrics.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {

std::string catalog_metrics(const catalog::Catalog& c) {
  std::map<std::string, int> rows;
  std::map<std::pair<std::string, std::string>, int> flags;
  for (const auto& r : c.rows()) {
    ++rows[r.device_type];
    std::set<std::string> seen;
    for (const auto& f : r.flags)
      if (seen.insert(f.name).second) ++flags[{r.device_type, f.name}];
  }
  std::ostringstream out;
  out << "# HELP edgeml_catalog_rows Benchmark rows loaded, by device type.\n# TYPE edgeml_catalog_rows gauge\n";
  for (auto& [d, n] : rows) out << "edgeml_catalog_rows{device_type=\"" << d << "\"} " << n << "\n";
  out << "# HELP edgeml_catalog_flagged_rows Rows carrying a data-quality flag.\n"
      << "# TYPE edgeml_catalog_flagged_rows gauge\n";
  for (auto& [k, n] : flags)
    out << "edgeml_catalog_flagged_rows{device_type=\"" << k.first << "\",flag=\"" << k.second << "\"} " << n << "\n";
  return out.str();
}

}  // namespace

void register_ops_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/healthz", .role = http::Role::anyone},
             [&app](http::Request&, http::Response& res) {
               http::reply_json(res, {{"status", "ok"},
                                      {"catalog_rows", app.catalog().rows().size()},
                                      {"devices", app.catalog().device_types()},
                                      {"predictors", app.predictors() != nullptr}});
             });
  router.add({.method = "GET", .pattern = "/metrics", .role = http::Role::viewer}, [&app](http::Request&,
                                                                                          http::Response& res) {
    res.set_content(app.metrics().prometheus_text() + catalog_metrics(app.catalog()) + fleet_metrics(app.store()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  router.add({.method = "GET", .pattern = "/api/prometheus/targets", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) { http::reply_json(res, prometheus_targets(app.store())); });
}

}  // namespace edgeml::controller
