// Status and the model store over HTTP: GET /status, POST /deploy, PUT /models/<name>, GET /models,
// POST /models/<name>/activate?sha256=, POST /rollback.
#include <exception>

#include "agent/agent.hpp"
#include "agent/version.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/strings.hpp"
#include "http/query.hpp"
#include "http/replies.hpp"
#include "http/server.hpp"

namespace edgeml::agent {

namespace {
nlohmann::json shape_json(const TensorShape& t) { return {{"name", t.name}, {"shape", t.shape}}; }

nlohmann::json active_json(const AgentParts& p) {
  auto a = p.host.active();
  if (!a) return nullptr;
  auto j = to_json(a->ref);
  j["backend"] = a->backend;
  j["since"] = a->since_s;
  j["input"] = shape_json(a->input);
  j["output"] = shape_json(a->output);
  j["load_s"] = a->load_s;
  j["input_spec"] = input_spec_json(*a);  // the layout and pixel convention images are fed in, and why
  return j;
}

// Runs an activation and answers with the new active model, or 422 with the reason and the model still active.
void reply_activation(AgentParts& p, http::Response& res, const std::function<ModelRef()>& activate) {
  auto ref = activate();
  http::reply_json(res, {{"success", true}, {"active", to_json(ref)}});
}
// PUT /models/<name>: the raw body goes to disk as it arrives (never held in memory), then is verified.
class UploadSink : public http::BodySink {
 public:
  UploadSink(AgentParts& p, const http::Request& req) {
    const std::string& name = req.param("name");
    validate_model_name(name, "name");
    if (!req.has_header("X-Content-SHA256"))
      throw FieldError("X-Content-SHA256", "missing header X-Content-SHA256 (the sha256 of the body)");
    std::string sha = normalize_sha256(req.header("X-Content-SHA256"), "X-Content-SHA256");
    if (!req.content_length || *req.content_length == 0)
      throw Error(ErrorKind::length_required, "a model upload needs a Content-Length", "Content-Length");
    expected_ = Expected{name, sha, *req.content_length};
    file_ = p.store.begin(expected_);
  }
  void write(const char* data, size_t size) override { file_->write(data, size); }
  ModelRef commit(AgentParts& p) { return p.store.commit(std::move(file_), expected_); }

 private:
  Expected expected_;
  std::unique_ptr<IncomingFile> file_;
};
}  // namespace

nlohmann::json status_json(const AgentParts& p) {
  double now = p.clock.now_s();
  auto state = p.manager.state();
  auto failure = p.manager.last_failure();
  nlohmann::json j;
  j["agent"] = {{"version", kAgentVersion},
                {"uptime_s", now - p.started_s},
                {"backends", ModelHost::backends()},
                {"token_required", !p.options.token.empty() || !p.options.controller_url.empty()}};
  j["device"] = p.device;
  j["active_model"] = active_json(p);
  j["previous_model"] = state.previous ? to_json(*state.previous) : nlohmann::json();
  nlohmann::json runtime;
  if (p.manager.activating()) {
    runtime = {{"state", p.host.active() ? "running" : "stopped"}, {"activating", true}};
  } else if (p.host.active()) {
    runtime = {{"state", "running"}};
  } else if (failure) {
    runtime = {{"state", "error"}, {"message", failure->reason}};
  } else {
    runtime = {{"state", "stopped"}, {"message", "no model is active"}};
  }
  j["runtime"] = runtime;
  j["last_activation_failure"] = failure ? nlohmann::json{{"at", failure->at_s},
                                                          {"name", failure->name},
                                                          {"sha256", failure->sha256},
                                                          {"reason", failure->reason}}
                                         : nlohmann::json();
  j["deploy"] = p.deploy.progress();
  auto loop = p.loop.stats().to_json(now);
  loop["hz"] = p.options.infer_hz;
  loop["running"] = p.loop.running();
  j["inference"] = {{"loop", loop}, {"requests", p.request_stats.to_json(now)}};
  j["energy"] = p.telemetry.energy();
  j["critical"] = p.critical.to_json();  // a critical-work lease keeps benchmark windows away
  if (p.enroller) j["enrollment"] = p.enroller->status();
  if (p.policy) j["battery_policy"] = p.policy->status_json();
  return j;
}

void add_model_routes(http::Router& router, AgentParts& p) {
  router.add({.method = "GET", .pattern = "/status", .role = http::Role::anyone},
             [&p](http::Request&, http::Response& res) { http::reply_json(res, status_json(p)); });

  router.add({.method = "POST",
              .pattern = "/deploy",
              .role = http::Role::operator_,
              .body = http::Body::json,
              .mutates = true,
              .blocking = true},
             [&p](http::Request& req, http::Response& res) {
               auto request = parse_deploy_request(parse_json_body(req.body));
               p.deploy.start(request);
               if (http::query_bool(req, "wait").value_or(false)) {
                 p.deploy.wait();
                 auto progress = p.deploy.progress();
                 bool ok = progress.value("state", "") == "done";
                 auto body = nlohmann::json{{"success", ok}, {"deploy", progress}, {"active_model", active_json(p)}};
                 if (!ok) body["error"] = progress.value("error", "deployment failed");
                 http::reply_json(res, body, ok ? 200 : 422);
                 return;
               }
               http::reply_json(res, {{"success", true}, {"deploy", p.deploy.progress()}}, 202);
             });

  // Raw upload, streamed to disk as it arrives (never held in memory).
  router.add({.method = "PUT",
              .pattern = "/models/:name",
              .role = http::Role::operator_,
              .body = http::Body::stream,
              .max_body_bytes = static_cast<size_t>(p.options.max_model_bytes),
              .mutates = true,
              .open_sink = [&p](http::Request& req) { return std::make_unique<UploadSink>(p, req); }},
             [&p](http::Request& req, http::Response& res) {
               auto ref = static_cast<UploadSink&>(*req.sink).commit(p);
               nlohmann::json body{{"success", true}, {"stored", to_json(ref)}};
               if (http::query_bool(req, "activate").value_or(false))
                 body["active"] = to_json(p.manager.activate(ref.name, ref.sha256));
               http::reply_json(res, body, 201);
             });

  router.add({.method = "GET", .pattern = "/models", .role = http::Role::anyone}, [&p](http::Request&,
                                                                                       http::Response& res) {
    auto state = p.manager.state();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : p.store.list()) {
      auto j = to_json(r);
      j["active"] = state.active && state.active->same_version(r);
      j["previous"] = state.previous && state.previous->same_version(r);
      list.push_back(j);
    }
    nlohmann::json history = nlohmann::json::array();
    for (const auto& e : state.history) history.push_back(to_json(e));
    http::reply_json(res, {{"models", list}, {"history", history}, {"keep_versions", p.store.limits().keep_versions}});
  });

  router.add({.method = "POST",
              .pattern = "/models/:name/activate",
              .role = http::Role::operator_,
              .mutates = true,
              .blocking = true},
             [&p](http::Request& req, http::Response& res) {
               const std::string& name = req.param("name");
               validate_model_name(name, "name");
               auto sha = http::query_string(req, "sha256", 64);
               if (!sha) throw FieldError("sha256", "missing query parameter sha256");
               std::string s = normalize_sha256(*sha);
               reply_activation(p, res, [&] { return p.manager.activate(name, s); });
             });

  router.add(
      {.method = "POST", .pattern = "/rollback", .role = http::Role::operator_, .mutates = true, .blocking = true},
      [&p](http::Request&, http::Response& res) { reply_activation(p, res, [&] { return p.manager.rollback(); }); });
}

}  // namespace edgeml::agent
