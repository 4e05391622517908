// POST /api/predict-energy: the original body (params_m, gflops, gmacs, size_mb, latency_avg_s,
// throughput_iter_per_s, optional device_type) or a run's duration (duration_avg_s); one object, a list, or
// {"models": [...], "device_type": "..."} gives a list of answers. device_type: the item's, else the batch's, else
// ?device_type=, else the default device (predictor/predict_request.hpp). GET /api/predictors: how each predictor was
// built, from which rows, when, with its CV figures, and whether a rebuild is under way.
#include "common/error.hpp"
#include "controller/app.hpp"
#include "controller/json_request.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"
#include "predictor/predict_request.hpp"
#include "predictor/predictor_set.hpp"

namespace edgeml::controller {

namespace {

nlohmann::json predict_one(const ControllerApp& app, const predictor::PredictorSet& predictors,
                           const predictor::PredictItem& item) {
  std::string device = app.resolve_device(item.device_type);
  auto answer = predictors.predict(device, item.inputs).to_json();
  // The original system's names for the interval (scripts read them), beside confidence_interval.
  answer["ci_lower_mwh"] = answer["confidence_interval"][0];
  answer["ci_upper_mwh"] = answer["confidence_interval"][1];
  answer["device_type_from"] = item.device_type_from.empty() ? "default" : item.device_type_from;
  if (item.model_name) answer["model_name"] = *item.model_name;
  return answer;
}

}  // namespace

void register_predict_routes(ControllerApp& app, http::Router& router) {
  router.add({.method = "POST", .pattern = "/api/predict-energy", .role = http::Role::viewer, .body = http::Body::json},
             [&app](http::Request& req, http::Response& res) {
               auto predictors = app.predictors();  // this request's set, whatever is rebuilt meanwhile
               if (!predictors) throw Error(ErrorKind::unavailable, "no energy predictor is loaded");
               auto request = predictor::parse_predict_request(json_request(req),
                                                               http::query_string(req, "device_type", 64).value_or(""));
               if (!request.batch) {
                 auto answer = predict_one(app, *predictors, request.items.front());
                 answer["success"] = true;
                 http::reply_json(res, answer);
                 return;
               }
               nlohmann::json out = nlohmann::json::array();
               for (size_t i = 0; i < request.items.size(); ++i) {
                 try {
                   out.push_back(predict_one(app, *predictors, request.items[i]));
                 } catch (const FieldError& e) {
                   throw FieldError("[" + std::to_string(i) + "]." + e.field(),
                                    "item " + std::to_string(i) + ": " + e.what());
                 }
               }
               http::reply_json(res, {{"success", true}, {"count", out.size()}, {"predictions", out}});
             });

  router.add({.method = "GET", .pattern = "/api/predictors", .role = http::Role::viewer},
             [&app](http::Request&, http::Response& res) {
               auto predictors = app.predictors();
               if (!predictors) throw Error(ErrorKind::unavailable, "no energy predictor is loaded");
               http::reply_json(res, {{"success", true},
                                      {"predictors", predictors->describe()},
                                      {"build", app.catalog_service().live_predictors().status()}});
             });
}

}  // namespace edgeml::controller
