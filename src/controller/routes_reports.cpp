// Reports: GET /api/reports?format=pdf|xlsx|csv&from=&to=&scope= — the fleet/energy report (per device and per model:
// energy per inference measured against predicted, time online, deploys and failures, alerts, power and temperature
// charts) as a download. Blocking: reading a week of telemetry and drawing it takes a while.
#include <filesystem>

#include "controller/app.hpp"
#include "controller/report_inputs.hpp"
#include "http/query.hpp"

namespace edgeml::controller {

void register_report_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/api/reports", .role = http::Role::viewer, .blocking = true},
             [&app](http::Request& req, http::Response& res) {
               double now = app.clock().now_s();
               auto request = report::parse_report_request(req.query_value("format"), req.query_value("from"),
                                                           req.query_value("to"), req.query_value("scope"), now);
               auto data = report::build_report(report_inputs_from_store(app.store(), request, now));
               // libxlsxwriter's temporary files, in the controller's own state folder.
               auto scratch = app.config().state_dir / "tmp";
               std::filesystem::create_directories(scratch);
               auto rendered = report::render_report(data, request.format, scratch);
               res.set_header("Content-Disposition", "attachment; filename=\"" + rendered.filename + "\"");
               res.set_content(std::move(rendered.bytes), rendered.content_type);
             });
}

}  // namespace edgeml::controller
