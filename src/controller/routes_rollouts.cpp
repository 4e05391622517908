// GET /api/rollouts/<id>: every deployment of a staged rollout (one per device, in order) with its steps so far, so
// the dashboard shows per-device progress with one request instead of one event stream per device.
#include "common/error.hpp"
#include "controller/app.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

void register_rollout_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "GET", .pattern = "/api/rollouts/:id", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               long long id = http::path_id(req, "id", "rollout");
               auto records = app.store().deployments().by_rollout(id);
               if (records.empty()) throw NotFoundError("no rollout " + std::to_string(id), "id");
               nlohmann::json list = nlohmann::json::array();
               std::map<std::string, int> counts;
               bool finished = true;
               for (const auto& r : records) {
                 list.push_back(to_json(r, app.store().deployments().steps(r.id)));
                 ++counts[r.status];
                 if (r.status == "running") finished = false;
               }
               http::reply_json(res, {{"success", true},
                                      {"rollout_id", id},
                                      {"model", records.front().model_name},
                                      {"finished", finished},
                                      {"counts", counts},
                                      {"count", list.size()},
                                      {"deployments", list}});
             });
}

}  // namespace edgeml::controller
