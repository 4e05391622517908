#include "controller/abtests.hpp"

#include <map>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "controller/app.hpp"
#include "controller/device_lookup.hpp"
#include "controller/json_request.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

const std::string& abtest_metric_unit(const std::string& metric) {
  static const std::map<std::string, std::string> units{{"energy_per_inference_mj", "mJ"}, {"inference_p50_s", "s"}};
  auto it = units.find(metric);
  if (it == units.end())
    throw FieldError("metric", "metric must be energy_per_inference_mj or inference_p50_s, got '" + metric + "'");
  return it->second;
}

std::vector<double> abtest_arm_values(store::Store& db, const std::vector<store::Device>& devices,
                                      const std::string& model, const std::string& metric, double since_s) {
  std::vector<double> out;
  for (const auto& d : devices)
    for (const auto& s : db.telemetry().range(d.id, since_s, 1e11, 0)) {
      if (s.active_model != model) continue;
      if (metric == "energy_per_inference_mj" && s.energy_per_inference_j)
        out.push_back(*s.energy_per_inference_j * 1e3);
      if (metric == "inference_p50_s" && s.inference_p50_s) out.push_back(*s.inference_p50_s);
    }
  return out;
}

namespace {

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string n; std::getline(in, n, ',');)
    if (!n.empty()) out.push_back(n);
  return out;
}

std::string join_names(const std::vector<store::Device>& devices) {
  std::string s;
  for (const auto& d : devices) s += (s.empty() ? "" : ",") + d.name;
  return s;
}

std::vector<store::Device> devices_named(store::Store& db, const std::string& list, const std::string& field) {
  std::vector<store::Device> out;
  for (const auto& n : split_names(list)) out.push_back(find_device(db, n, field));
  return out;
}

std::vector<store::Device> arm_devices(store::Store& db, const nlohmann::json& body, const std::string& field) {
  if (!body.contains(field) || !body[field].is_array() || body[field].empty() || body[field].size() > 1000)
    throw FieldError(field, field + " must be a list of 1 to 1000 device ids or names");
  std::vector<store::Device> out;
  for (size_t i = 0; i < body[field].size(); ++i) {
    const auto& v = body[field][i];
    std::string f = field + "[" + std::to_string(i) + "]";
    if (!v.is_string() && !v.is_number_integer()) throw FieldError(f, f + " must be a device id or name");
    out.push_back(find_device(db, v.is_string() ? v.get<std::string>() : std::to_string(v.get<long long>()), f));
  }
  return out;
}

long long deploy(ControllerApp& app, const std::string& model, std::vector<store::Device> devices,
                 const std::string& base_url, bool force) {
  DeployPlan plan;
  plan.model_name = model;
  plan.force = force;
  plan.max_failures = static_cast<int>(devices.size());  // an arm goes on past one failed device
  plan.devices = std::move(devices);
  plan.base_url = base_url;
  return app.deployer().start(plan).rollout_id;
}

nlohmann::json deployments_of(store::Store& db, const std::optional<long long>& rollout) {
  nlohmann::json list = nlohmann::json::array();
  if (!rollout) return list;
  for (const auto& r : db.deployments().recent(1000))
    if (r.rollout_id == rollout)
      list.push_back({{"deployment_id", r.id}, {"device", r.device_name}, {"status", r.status}});
  return list;
}

struct Evaluated {
  nlohmann::json body;
  std::optional<abtest::Verdict> verdict;
};

Evaluated evaluate(ControllerApp& app, const store::AbTestRecord& r, const abtest::ComparisonOptions& options) {
  auto& db = app.store();
  auto da = devices_named(db, r.devices_a, "devices_a"), dbv = devices_named(db, r.devices_b, "devices_b");
  abtest::Arm a{"A", r.model_a, da.empty() ? "" : da.front().device_type,
                abtest_arm_values(db, da, r.model_a, r.metric, r.started_at)};
  abtest::Arm b{"B", r.model_b, dbv.empty() ? "" : dbv.front().device_type,
                abtest_arm_values(db, dbv, r.model_b, r.metric, r.started_at)};
  nlohmann::json j{{"id", r.id},
                   {"model_a", r.model_a},
                   {"model_b", r.model_b},
                   {"devices_a", split_names(r.devices_a)},
                   {"devices_b", split_names(r.devices_b)},
                   {"metric", r.metric},
                   {"unit", abtest_metric_unit(r.metric)},
                   {"started_at", r.started_at},
                   {"samples_a", a.values.size()},
                   {"samples_b", b.values.size()},
                   {"deployments_a", deployments_of(db, r.rollout_a)},
                   {"deployments_b", deployments_of(db, r.rollout_b)},
                   {"promoted_model", r.promoted_model.empty() ? nlohmann::json() : nlohmann::json(r.promoted_model)},
                   {"samples_note",
                    "each stored telemetry sample is one value; consecutive samples of a device are running figures, "
                    "not independent runs, so the interval is optimistic"}};
  Evaluated out{j, std::nullopt};
  try {
    auto c = abtest::compare_arms(a, b, r.metric, abtest_metric_unit(r.metric), options);
    out.body["comparison"] = abtest::to_json(c);  // per arm n, mean, sd; the values themselves stay in the store
    out.verdict = c.verdict;
  } catch (const FieldError& e) {
    out.body["comparison"] = nullptr;
    out.body["comparison_unavailable"] = e.what();
  }
  return out;
}

abtest::ComparisonOptions options_from(const http::Request& req) {
  abtest::ComparisonOptions o;
  o.confidence = http::query_number(req, "confidence", {0.5, 0.999}).value_or(0.95);
  o.min_difference = http::query_number(req, "min_difference", {1e-12, 1e12});
  return o;
}

store::AbTestRecord get_test(store::AbTestStore& tests, const http::Request& req) {
  long long id = http::path_id(req, "id", "A/B test");
  auto r = tests.get(id);
  if (!r) throw NotFoundError("no A/B test " + std::to_string(id), "id");
  return *r;
}

}  // namespace

void register_abtest_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "POST",
              .pattern = "/api/abtests",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true},
             [&app](http::Request& req, http::Response& res) {
               auto body = json_request(req);
               if (!body.is_object())
                 throw FieldError("body", "expected {model_a, model_b, devices_a, devices_b, metric}");
               reject_unknown_fields(body, {"model_a", "model_b", "devices_a", "devices_b", "metric", "force"}, "");
               store::AbTestRecord r;
               r.model_a = require_string(body, "model_a", 128);
               validate_name(r.model_a, "model_a");
               r.model_b = require_string(body, "model_b", 128);
               validate_name(r.model_b, "model_b");
               if (r.model_a == r.model_b) throw FieldError("model_b", "model_b must differ from model_a");
               r.metric = optional_string(body, "metric", 64).value_or("energy_per_inference_mj");
               abtest_metric_unit(r.metric);
               auto da = arm_devices(app.store(), body, "devices_a");
               auto dbv = arm_devices(app.store(), body, "devices_b");
               std::set<long long> ids;
               for (const auto& d : da) ids.insert(d.id);
               for (const auto& d : dbv)
                 if (ids.count(d.id)) throw FieldError("devices_b", "device " + d.name + " is in both arms");
               // Like for like: one device type across both arms.
               for (const auto& d : dbv)
                 if (d.device_type != da.front().device_type)
                   throw FieldError("devices_b", "every device must be a " + da.front().device_type +
                                                     " (like for like); " + d.name + " is a " + d.device_type);
               for (const auto& d : da)
                 if (d.device_type != da.front().device_type)
                   throw FieldError("devices_a", "every device must be a " + da.front().device_type +
                                                     " (like for like); " + d.name + " is a " + d.device_type);
               r.devices_a = join_names(da);
               r.devices_b = join_names(dbv);
               r.started_at = app.clock().now_s();
               bool force = optional_bool(body, "force").value_or(false);
               std::string base = app.model_base_url(req);
               r.rollout_a = deploy(app, r.model_a, da, base, force);
               r.rollout_b = deploy(app, r.model_b, dbv, base, force);
               store::AbTestStore tests(app.store().db());
               r.id = tests.add(r);
               http::reply_json(
                   res, {{"success", true}, {"id", r.id}, {"rollout_a", *r.rollout_a}, {"rollout_b", *r.rollout_b}},
                   202);
             });

  router.add({.method = "GET", .pattern = "/api/abtests", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               store::AbTestStore tests(app.store().db());
               nlohmann::json list = nlohmann::json::array();
               for (const auto& r : tests.all())
                 list.push_back({{"id", r.id},
                                 {"model_a", r.model_a},
                                 {"model_b", r.model_b},
                                 {"metric", r.metric},
                                 {"started_at", r.started_at},
                                 {"promoted_model", r.promoted_model}});
               http::reply_json(res, {{"success", true}, {"count", list.size()}, {"abtests", list}});
             });

  router.add({.method = "GET", .pattern = "/api/abtests/:id", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               store::AbTestStore tests(app.store().db());
               auto e = evaluate(app, get_test(tests, req), options_from(req));
               e.body["success"] = true;
               http::reply_json(res, e.body);
             });

  router.add({.method = "POST",
              .pattern = "/api/abtests/:id/promote",
              .role = http::Role::operator_,
              .body_optional = true,
              .mutates = true},
             [&app](http::Request& req, http::Response& res) {
               store::AbTestStore tests(app.store().db());
               auto r = get_test(tests, req);
               auto e = evaluate(app, r, options_from(req));
               std::string winner;
               if (e.verdict == abtest::Verdict::a_better) winner = r.model_a;
               if (e.verdict == abtest::Verdict::b_better) winner = r.model_b;
               if (winner.empty())
                 throw Error(
                     ErrorKind::conflict,
                     "no winner to promote yet: " + (e.body.contains("comparison_unavailable")
                                                         ? e.body["comparison_unavailable"].get<std::string>()
                                                         : "verdict " + std::string(abtest::to_string(*e.verdict))),
                     "verdict");
               auto all = devices_named(app.store(), r.devices_a, "devices_a");
               auto b = devices_named(app.store(), r.devices_b, "devices_b");
               all.insert(all.end(), b.begin(), b.end());
               r.promoted_model = winner;
               r.promoted_rollout = deploy(app, winner, all, app.model_base_url(req), false);
               r.promoted_at = app.clock().now_s();
               tests.update(r);
               http::reply_json(
                   res, {{"success", true}, {"promoted_model", winner}, {"rollout_id", *r.promoted_rollout}}, 202);
             });
}

}  // namespace edgeml::controller
