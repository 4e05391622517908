// The deployment log and the energy comparison: GET /api/logs?limit=, GET /api/logs/export (CSV),
// GET /api/energy/compare (measured energy per inference of each device's active model beside the deploy-time figure,
// controller/energy_report.hpp).
#include <sstream>

#include "common/csv.hpp"
#include "common/strings.hpp"
#include "controller/app.hpp"
#include "controller/energy_report.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {
std::string cell(const std::optional<double>& v) { return v ? format_number(*v, 6) : ""; }
}  // namespace

void register_log_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/api/logs", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               int limit = static_cast<int>(http::query_int(req, "limit", 1, 1000).value_or(50));
               nlohmann::json logs = nlohmann::json::array();
               std::map<std::string, int> by_status;
               for (const auto& r : app.store().deployments().recent(limit)) {
                 logs.push_back(to_json(r, app.store().deployments().steps(r.id)));
                 ++by_status[r.status];
               }
               http::reply_json(res, {{"success", true},
                                      {"count", logs.size()},
                                      {"logs", logs},
                                      {"stats", {{"shown", logs.size()}, {"by_status", by_status}}}});
             });

  router.add({.method = "GET", .pattern = "/api/logs/export", .role = http::Role::viewer}, [&app](http::Request& req,
                                                                                                  http::Response& res) {
    int limit = static_cast<int>(http::query_int(req, "limit", 1, 100000).value_or(10000));
    std::ostringstream out;
    out << "deployment_id,rollout_id,kind,device,device_ip,device_type,model,status,error,started_at,finished_at,"
           "duration_s,energy_mwh,energy_source,max_energy,force,sha256,artifact_file,artifact_source,steps\n";
    for (const auto& r : app.store().deployments().recent(limit)) {
      std::string steps;
      for (const auto& s : app.store().deployments().steps(r.id))
        steps += (steps.empty() ? "" : ";") + s.name + ":" + s.status + ":" + format_number(s.duration_s, 4);
      std::optional<double> duration;
      if (r.finished_at) duration = *r.finished_at - r.started_at;
      out << r.id << ',' << (r.rollout_id ? std::to_string(*r.rollout_id) : "") << ',' << csv_escape(r.kind) << ','
          << csv_escape(r.device_name) << ',' << csv_escape(r.device_address) << ',' << csv_escape(r.device_type) << ','
          << csv_escape(r.model_name) << ',' << csv_escape(r.status) << ',' << csv_escape(r.error) << ','
          << format_number(r.started_at, 3) << ',' << cell(r.finished_at) << ',' << cell(duration) << ','
          << cell(r.energy_mwh) << ',' << csv_escape(r.energy_source) << ',' << cell(r.max_energy) << ','
          << (r.forced ? "true" : "false") << ',' << r.sha256 << ',' << csv_escape(r.artifact_file) << ','
          << csv_escape(r.artifact_source) << ',' << csv_escape(steps) << '\n';
    }
    res.set_header("Content-Disposition", "attachment; filename=\"deployments.csv\"");
    res.set_content(out.str(), "text/csv; charset=utf-8");
  });

  router.add({.method = "GET", .pattern = "/api/energy/compare", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) { http::reply_json(res, energy_compare(app.store())); });
}

}  // namespace edgeml::controller
