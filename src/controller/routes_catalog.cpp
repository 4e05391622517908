// GET /api/models/all, /api/models/recommended, /api/models/<name>, /api/catalog/report. Every model row says whether
// it can be deployed and with what weights; ?deployable=true leaves out the ones that cannot.
#include "catalog/selection.hpp"
#include "common/error.hpp"
#include "controller/app.hpp"
#include "controller/model_rows_json.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"

namespace edgeml::controller {

namespace {

// A JSON object whose listed fields are already-serialized arrays: head's fields, then each raw one.
void reply_with_raw(http::Response& res, const nlohmann::json& head,
                    std::initializer_list<std::pair<const char*, std::string>> raw) {
  std::string body = head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  body.pop_back();  // the closing brace
  for (const auto& [name, text] : raw) {
    body += ",\"";
    body += name;
    body += "\":";
    body += text;
  }
  body += '}';
  res.status = 200;
  res.set_content(body, "application/json");
}

// ?deployable=true: only models with an artifact in the store, a configured source, or the zoo.
std::function<bool(const catalog::ModelRow&)> deployable_filter(ControllerApp& app, const http::Request& req) {
  if (!http::query_bool(req, "deployable").value_or(false)) return nullptr;
  return [&app](const catalog::ModelRow& r) { return app.availability().of(r.model).deployable; };
}

}  // namespace

void register_catalog_routes(ControllerApp& app, http::Router& router) {
  auto cache = std::make_shared<RowTextCache>();
  router.add({.method = "GET", .pattern = "/api/models/all", .role = http::Role::viewer},
             [&app, cache](http::Request& req, http::Response& res) {
               auto texts = cache->get(app.catalog());
               catalog::ListQuery q;
               if (auto d = http::query_string(req, "device_type"); d && !d->empty())
                 q.device_type = app.resolve_device(*d);
               q.search = http::query_string(req, "q").value_or("");
               q.sort = http::query_string(req, "sort").value_or("model");
               q.limit = static_cast<size_t>(http::query_int(req, "limit", 1, 100000).value_or(100000));
               q.offset = static_cast<size_t>(http::query_int(req, "offset", 0, 100000000).value_or(0));
               q.keep = deployable_filter(app, req);
               auto result = catalog::list_rows(texts->catalog(), q);
               reply_with_raw(res,
                              {{"success", true},
                               {"count", result.rows.size()},
                               {"total", result.total},
                               {"offset", q.offset},
                               {"deployable_only", q.keep != nullptr}},
                              {{"models", texts->array(result.rows, app.availability())}});
             });

  router.add({.method = "GET", .pattern = "/api/models/recommended", .role = http::Role::viewer},
             [&app, cache](http::Request& req, http::Response& res) {
               auto texts = cache->get(app.catalog());
               catalog::Budgets b;
               b.device_type = app.resolve_device(
                   http::query_string(req, "device_type").value_or(http::query_string(req, "device").value_or("")));
               b.max_energy_mwh = http::query_number(req, "max_energy", {0, 1e12, true});
               b.max_size_mb = http::query_number(req, "max_size", {0, 1e12, true});
               b.max_latency_s = http::query_number(req, "max_latency", {0, 1e12, true});
               b.include_flagged = http::query_bool(req, "include_flagged").value_or(false);
               b.limit = static_cast<size_t>(http::query_int(req, "limit", 1, 10000).value_or(10));
               b.keep = deployable_filter(app, req);
               auto rec = catalog::recommend(texts->catalog(), b);
               auto opt = [](const std::optional<double>& v) {
                 return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
               };
               reply_with_raw(res,
                              {{"success", true},
                               {"device_type", b.device_type},
                               {"budgets",
                                {{"max_energy_mwh", opt(b.max_energy_mwh)},
                                 {"max_size_mb", opt(b.max_size_mb)},
                                 {"max_latency_s", opt(b.max_latency_s)},
                                 {"include_flagged", b.include_flagged},
                                 {"deployable_only", b.keep != nullptr}}},
                               {"count", rec.models.size()},
                               {"candidates", rec.candidates},
                               {"excluded_flagged", rec.excluded_flagged},
                               {"excluded_not_deployable", rec.excluded_by_keep},
                               {"units", {{"energy", "mWh per measured run"}, {"size", "MB"}, {"latency", "s"}}}},
                              {{"models", texts->array(rec.models, app.availability())},
                               {"pareto", texts->array(rec.pareto, app.availability())}});
             });

  router.add({.method = "GET", .pattern = "/api/models/:name", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               const std::string& name = req.param("name");
               if (name == "all" || name == "recommended") throw NotFoundError("no such endpoint");
               std::string device;
               if (auto d = http::query_string(req, "device_type"); d && !d->empty()) device = app.resolve_device(*d);
               auto snapshot = app.catalog();
               auto available = app.availability().of(name).to_json();
               nlohmann::json matches = nlohmann::json::array();
               for (const auto* r : snapshot->rows_for(device))
                 if (r->model == name) {
                   auto j = model_row_json(*r);
                   j.update(available);
                   matches.push_back(j);
                 }
               if (matches.empty()) throw NotFoundError("model '" + name + "' is not in the catalog", "model");
               http::reply_json(res, {{"success", true}, {"model", matches.front()}, {"devices", matches}});
             });

  router.add({.method = "GET", .pattern = "/api/catalog/report", .role = http::Role::viewer},
             [&app](http::Request& req, http::Response& res) {
               auto examples = http::query_int(req, "examples", 0, 1000).value_or(5);
               auto report = app.catalog()->report(static_cast<size_t>(examples));
               report["success"] = true;
               report["catalog_version"] = app.catalog_service().version();
               http::reply_json(res, report);
             });
}

}  // namespace edgeml::controller
