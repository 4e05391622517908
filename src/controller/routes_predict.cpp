// POST /api/predict-energy: the original body (params_m, gflops, gmacs, size_mb, latency_avg_s,
// throughput_iter_per_s, optional device_type); one object, a list, or {"models": [...]} gives a list of answers.
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "controller/app.hpp"
#include "controller/json_request.hpp"
#include "http/replies.hpp"
#include "predictor/predictor_set.hpp"

namespace edgeml::controller {

namespace {

constexpr size_t kMaxBatch = 1000;

predictor::Inputs read_inputs(const nlohmann::json& item) {
  if (!item.is_object()) throw FieldError("body", "each prediction request must be a JSON object");
  const NumberRange positive{0, 1e12, true};
  predictor::Inputs in;
  in.params_m = optional_number(item, "params_m", positive);
  in.gflops = optional_number(item, "gflops", positive);
  in.gmacs = optional_number(item, "gmacs", positive);
  in.size_mb = optional_number(item, "size_mb", positive);
  in.latency_avg_s = optional_number(item, "latency_avg_s", positive);
  in.throughput_iter_per_s = optional_number(item, "throughput_iter_per_s", positive);
  in.duration_avg_s = optional_number(item, "duration_avg_s", positive);
  predictor::validate(in);  // names the first missing static field
  return in;
}

nlohmann::json predict_one(const ControllerApp& app, const nlohmann::json& item) {
  auto in = read_inputs(item);
  std::string device = app.resolve_device(optional_string(item, "device_type", 64).value_or(""));
  auto answer = app.predictors()->predict(device, in).to_json();
  if (auto name = optional_string(item, "model_name", 256)) answer["model_name"] = *name;
  return answer;
}

}  // namespace

void register_predict_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "POST", .pattern = "/api/predict-energy", .role = http::Role::viewer, .body = http::Body::json},
             [&app](http::Request& req, http::Response& res) {
               if (!app.predictors()) throw Error(ErrorKind::unavailable, "no energy predictor is loaded");
               auto body = json_request(req);
               const nlohmann::json* items = nullptr;
               if (body.is_array()) items = &body;
               if (body.is_object() && body.contains("models")) {
                 if (!body["models"].is_array()) throw FieldError("models", "'models' must be a list");
                 items = &body["models"];
               }
               if (!items) {
                 auto answer = predict_one(app, body);
                 answer["success"] = true;
                 http::reply_json(res, answer);
                 return;
               }
               if (items->empty()) throw FieldError("body", "the list of models to predict is empty");
               if (items->size() > kMaxBatch)
                 throw FieldError("body", "at most " + std::to_string(kMaxBatch) + " models at once");
               nlohmann::json out = nlohmann::json::array();
               for (size_t i = 0; i < items->size(); ++i) {
                 try {
                   out.push_back(predict_one(app, (*items)[i]));
                 } catch (const FieldError& e) {
                   throw FieldError("[" + std::to_string(i) + "]." + e.field(),
                                    "item " + std::to_string(i) + ": " + e.what());
                 }
               }
               http::reply_json(res, {{"success", true}, {"count", out.size()}, {"predictions", out}});
             });

  router.add({.method = "GET", .pattern = "/api/predictors", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               if (!app.predictors()) throw Error(ErrorKind::unavailable, "no energy predictor is loaded");
               http::reply_json(res, {{"success", true}, {"predictors", app.predictors()->describe()}});
             });
}

}  // namespace edgeml::controller
