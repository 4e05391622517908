// Telemetry over HTTP: GET /telemetry, GET /telemetry/history?since=, GET /metrics (Prometheus), POST /energy.
#include "agent/agent.hpp"
#include "common/json_fields.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::agent {

void add_telemetry_routes(httplib::Server&, http::Router& router, AgentParts& p) {
  router.get("/telemetry", [&p](const httplib::Request&, httplib::Response& res) {
    auto j = p.telemetry.latest();
    j["energy_model"] = p.telemetry.energy();
    // The continuous loop's rate and latency, so a controller polling /telemetry can chart them over time.
    j["inference"] = p.loop.stats().to_json(p.clock.now_s());
    http::reply_json(res, j);
  });

  router.get("/telemetry/history", [&p](const httplib::Request& req, httplib::Response& res) {
    double since = http::query_number(req, "since", {0, 1e12}).value_or(0);
    http::reply_json(res, p.telemetry.history(since));
  });

  router.get("/metrics", [&p](const httplib::Request&, httplib::Response& res) {
    std::string text = p.telemetry.prometheus();
    auto active = p.host.active();
    text +=
        "# HELP edgeml_agent_model_active 1 for the active model version.\n# TYPE edgeml_agent_model_active gauge\n";
    if (active)
      text += "edgeml_agent_model_active{model=\"" + active->ref.name + "\",sha256=\"" + active->ref.sha256 +
              "\",backend=\"" + active->backend + "\"} 1\n";
    text +=
        "# HELP edgeml_agent_inferences_total Inferences run by the continuous loop for the active model.\n"
        "# TYPE edgeml_agent_inferences_total counter\n"
        "edgeml_agent_inferences_total " +
        std::to_string(p.loop.stats().count()) + "\n";
    text += p.metrics.prometheus_text();
    res.set_content(text, "text/plain; version=0.0.4");
  });

  router.post("/energy", [&p](const httplib::Request& req, httplib::Response& res) {
    p.telemetry.submit_energy(parse_json_body(req.body));
    http::reply_json(res, {{"success", true}}, 202);
  });
}

}  // namespace edgeml::agent
