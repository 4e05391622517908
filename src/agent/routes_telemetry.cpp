// Telemetry over HTTP: GET /telemetry, GET /telemetry/history?since=, GET /metrics (Prometheus), POST /energy.
#include "agent/agent.hpp"
#include "common/json_fields.hpp"
#include "common/prometheus_text.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::agent {

void add_telemetry_routes(http::Router& router, AgentParts& p) {
  router.add({.method = "GET", .pattern = "/telemetry", .role = http::Role::anyone},
             [&p](http::Request&, http::Response& res) {
               auto j = p.telemetry.latest();
               j["energy_model"] = p.telemetry.energy();
               // The continuous loop's rate and latency, so a controller polling /telemetry can chart them over time.
               j["inference"] = p.loop.stats().to_json(p.clock.now_s());
               http::reply_json(res, j);
             });

  router.add({.method = "GET", .pattern = "/telemetry/history", .role = http::Role::anyone},
             [&p](http::Request& req, http::Response& res) {
               double since = http::query_number(req, "since", {0, 1e12}).value_or(0);
               http::reply_json(res, p.telemetry.history(since));
             });

  router.add(
      {.method = "GET", .pattern = "/metrics", .role = http::Role::anyone}, [&p](http::Request&, http::Response& res) {
        std::string text = p.telemetry.prometheus();
        auto active = p.host.active();
        PromText out;
        out.family("edgeml_agent_model_active", "1 for the active model version.", "gauge");
        if (active)
          out.sample("edgeml_agent_model_active",
                     {{"model", active->ref.name}, {"sha256", active->ref.sha256}, {"backend", active->backend}}, 1);
        out.family("edgeml_agent_inferences_total", "Inferences run by the continuous loop for the active model.",
                   "counter");
        out.sample("edgeml_agent_inferences_total", static_cast<double>(p.loop.stats().count()));
        text += out.str();
        text += p.metrics.prometheus_text();
        if (p.mqtt) text += p.mqtt->prometheus();
        res.set_content(text, "text/plain; version=0.0.4");
      });

  router.add({.method = "POST", .pattern = "/energy", .role = http::Role::operator_, .body = http::Body::json},
             [&p](http::Request& req, http::Response& res) {
               p.telemetry.submit_energy(parse_json_body(req.body));
               http::reply_json(res, {{"success", true}}, 202);
             });
}

}  // namespace edgeml::agent
