// POST /api/deploy {bbb_ip | device | devices: [...], model_name, max_energy?, force?, max_failures?, async?,
// preprocess?, benchmark_window?}, GET /api/deployments/<id>, GET /api/deployments/<id>/events (server-sent events
// of the real steps). A model with no artifact anywhere answers 404 before any gate runs.
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "controller/app.hpp"
#include "controller/artifact_resolver.hpp"
#include "controller/deploy_answer.hpp"
#include "controller/device_lookup.hpp"
#include "controller/failure_status.hpp"
#include "controller/json_request.hpp"
#include "controller/sse.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {

nlohmann::json deployment_answer(ControllerApp& app, long long id) {
  auto rec = *app.store().deployments().get(id);
  return deploy_answer(rec, app.store().deployments().steps(id), app.config().unknown_energy, *app.catalog());
}

// From the recorded failure kind (failure_status.hpp), never from the wording of the error.
int status_code(const DeploymentRecord& r) { return deploy_http_status(r); }

// An unknown model (no artifact in the store, from a configured source or the zoo) answers 404 before any gate runs
// or anything is recorded. A model only a source may have is fetched now, so the answer is certain; the deployment
// then uses what was fetched.
std::optional<ResolvedArtifact> require_artifact(ControllerApp& app, const std::string& model) {
  auto available = app.availability().of(model);
  std::string error;
  std::optional<ResolvedArtifact> fetched;
  if (!available.deployable) {
    error = "no artifact for model '" + model + "' (" + available.note + ")";
    if (!app.catalog()->find(model)) error = "unknown model '" + model + "': not in the catalog, and " + error;
  } else if (available.origin == "source") {
    try {
      fetched = resolve_artifact(app.artifacts(), app.model_sources(), model);
    } catch (const NotFoundError& e) {
      error = e.what();
    }
  }
  if (!error.empty())
    throw Error(ErrorKind::not_found, error, "model_name",
                {{"status", "failed"}, {"message", error}, {"model", model}});
  return fetched;
}

std::vector<Device> devices_of(ControllerApp& app, const nlohmann::json& body) {
  std::string type = optional_string(body, "device_type", 64).value_or("");
  auto one = [&](const nlohmann::json& ref, const std::string& field) -> Device {
    if (ref.is_number_integer()) return find_device(app.store(), std::to_string(ref.get<long long>()), field);
    if (!ref.is_string()) throw FieldError(field, field + " must be a device id, name or address");
    std::string s = ref;
    try {
      return find_device(app.store(), s, field);
    } catch (const NotFoundError&) {
      if (s.find('.') == std::string::npos && s.find(':') == std::string::npos) throw;
      return device_for_address(app, s, type, field);
    }
  };
  std::vector<Device> out;
  if (body.contains("devices")) {
    if (!body["devices"].is_array() || body["devices"].empty())
      throw FieldError("devices", "devices must be a non-empty list of device ids, names or addresses");
    if (body["devices"].size() > 1000) throw FieldError("devices", "at most 1000 devices per rollout");
    for (size_t i = 0; i < body["devices"].size(); ++i)
      out.push_back(one(body["devices"][i], "devices[" + std::to_string(i) + "]"));
  } else if (body.contains("device")) {
    out.push_back(one(body["device"], "device"));
  } else if (auto ip = optional_string(body, "bbb_ip", 255)) {
    out.push_back(device_for_address(app, *ip, type, "bbb_ip"));
  } else {
    throw FieldError("device", "name the target: device (id or name), bbb_ip (agent address) or devices (list)");
  }
  return out;
}

}  // namespace

void register_deploy_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "POST",
              .pattern = "/api/deploy",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true,
              .blocking = true},
             [&app](http::Request& req, http::Response& res) {
               auto body = json_request(req);
               if (!body.is_object()) throw FieldError("body", "expected a JSON object");
               DeployPlan plan;
               plan.model_name = require_string(body, "model_name", 128);
               validate_name(plan.model_name, "model_name");
               plan.max_energy = optional_number(body, "max_energy", {0, 1e12});
               plan.force = optional_bool(body, "force").value_or(false);
               plan.max_failures = static_cast<int>(optional_number(body, "max_failures", {1, 1000}).value_or(1));
               bool async =
                   optional_bool(body, "async").value_or(false) || http::query_bool(req, "async").value_or(false);
               if (auto p = optional_string(body, "preprocess", 32)) {
                 // The agent holds the list of conventions (runtime::Convention) and refuses an unknown one, naming
                 // them.
                 validate_name(*p, "preprocess");
                 plan.preprocess = *p;
               }
               plan.benchmark_window = optional_bool(body, "benchmark_window").value_or(true);
               plan.resolved = require_artifact(app, plan.model_name);  // 404 before any gate
               plan.devices = devices_of(app, body);
               plan.base_url = app.model_base_url(req);
               auto rollout = app.deployer().start(plan);
               if (async) {
                 http::reply_json(res,
                                  {{"success", true},
                                   {"status", "running"},
                                   {"rollout_id", rollout.rollout_id},
                                   {"deployment_id", rollout.deployment_ids.front()},
                                   {"deployment_ids", rollout.deployment_ids}},
                                  202);
                 return;
               }
               app.deployer().wait(rollout.rollout_id);
               if (rollout.deployment_ids.size() == 1 && !body.contains("devices")) {
                 long long id = rollout.deployment_ids.front();
                 http::reply_json(res, deployment_answer(app, id), status_code(*app.store().deployments().get(id)));
                 return;
               }
               nlohmann::json list = nlohmann::json::array();
               int worst = 200, succeeded = 0;
               std::map<std::string, int> counts;
               for (auto id : rollout.deployment_ids) {
                 list.push_back(deployment_answer(app, id));
                 auto rec = *app.store().deployments().get(id);
                 ++counts[rec.status];
                 if (rec.status == "succeeded") ++succeeded;
                 int code = status_code(rec);
                 if (code == 409 || (worst != 409 && code != 200)) worst = code == 409 ? 409 : 502;
               }
               bool ok = succeeded == static_cast<int>(rollout.deployment_ids.size());
               http::reply_json(res,
                                {{"success", ok},
                                 {"status", ok ? "success" : "failed"},
                                 {"message", std::to_string(succeeded) + " of " + std::to_string(list.size()) +
                                                 " device(s) run " + plan.model_name},
                                 {"model", plan.model_name},
                                 {"rollout_id", rollout.rollout_id},
                                 {"counts", counts},
                                 {"deployments", list}},
                                ok ? 200 : worst);
             });

  router.add({.method = "GET", .pattern = "/api/deployments/:id", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               long long id = http::path_id(req, "id", "deployment");
               if (!app.store().deployments().get(id)) throw NotFoundError("no deployment " + std::to_string(id), "id");
               http::reply_json(res, deployment_answer(app, id));
             });

  router.add({.method = "GET", .pattern = "/api/deployments/:id/events", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               long long id = http::path_id(req, "id", "deployment");
               auto rec = app.store().deployments().get(id);
               if (!rec) throw NotFoundError("no deployment " + std::to_string(id), "id");
               std::string topic = Deployer::topic(id);
               if (rec->status == "running") {
                 reply_event_stream(res, app.events(), topic, {}, true,
                                    true);  // the hub holds every event since the start
                 return;
               }
               // Finished (or from before a restart): replay what was recorded.
               std::vector<Event> initial;
               long long seq = 0;
               auto steps = app.store().deployments().steps(id);
               for (const auto& s : steps)
                 initial.push_back({++seq,
                                    "step",
                                    {{"deployment_id", id},
                                     {"name", s.name},
                                     {"status", s.status},
                                     {"duration_s", s.duration_s},
                                     {"detail", s.detail}}});
               initial.push_back({++seq, "done", to_json(*rec, steps)});
               reply_event_stream(res, app.events(), topic, initial, false);
             });
}

}  // namespace edgeml::controller
