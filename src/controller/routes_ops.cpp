// GET /healthz, GET /metrics (Prometheus text: requests and latency by route, catalog rows by device, flag and
// source, each device's measured energy figures).
#include <set>
#include <sstream>

#include "common/prometheus_text.hpp"
#include "controller/app.hpp"
#include "controller/energy_report.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {

std::string catalog_metrics(const catalog::Catalog& c) {
  std::map<std::string, int> rows;
  std::map<std::pair<std::string, std::string>, int> flags, sources;
  for (const auto& r : c.rows()) {
    ++rows[r.device_type];
    ++sources[{r.device_type, r.provenance.origin}];
    std::set<std::string> seen;
    for (const auto& f : r.flags)
      if (seen.insert(f.name).second) ++flags[{r.device_type, f.name}];
  }
  PromText out;
  out.family("edgeml_catalog_rows", "Benchmark rows loaded, by device type.", "gauge");
  for (auto& [d, n] : rows) out.sample("edgeml_catalog_rows", {{"device_type", d}}, n);
  out.family("edgeml_catalog_flagged_rows", "Rows carrying a data-quality flag.", "gauge");
  for (auto& [k, n] : flags)
    out.sample("edgeml_catalog_flagged_rows", {{"device_type", k.first}, {"flag", k.second}}, n);
  out.family("edgeml_catalog_rows_by_source", "Rows by where they came from (file, fleet, api).", "gauge");
  for (auto& [k, n] : sources)
    out.sample("edgeml_catalog_rows_by_source", {{"device_type", k.first}, {"source", k.second}}, n);
  return out.str();
}

// The MQTT transport's figures (telemetry stored, ingest lag, client counters); "" without --mqtt.
std::string mqtt_metrics(ControllerApp& app) { return app.transports().prometheus(); }

}  // namespace

void register_ops_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/healthz", .role = http::Role::anyone},
             [&app](http::Request&, http::Response& res) {
               http::reply_json(res, {{"status", "ok"},
                                      {"catalog_rows", app.catalog()->rows().size()},
                                      {"devices", app.catalog()->device_types()},
                                      {"predictors", app.predictors() != nullptr}});
             });
  router.add({.method = "GET", .pattern = "/metrics", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               std::string text = app.metrics().prometheus_text() + app.server().prometheus_text();
               text += catalog_metrics(*app.catalog()) + energy_metrics_text(app.store()) + mqtt_metrics(app);
               res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
             });
}

}  // namespace edgeml::controller
