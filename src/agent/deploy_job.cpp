#include "agent/deploy_job.hpp"

#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"
#include "runtime/input_spec.hpp"
#include "wire/failure_kind.hpp"

namespace edgeml::agent {

DeployRequest parse_deploy_request(const nlohmann::json& body) {
  if (!body.is_object()) throw FieldError("body", "request body must be a JSON object");
  DeployRequest r;
  r.model_name = require_string(body, "model_name", 128);
  validate_model_name(r.model_name);
  r.model_url = require_string(body, "model_url", 2048);
  parse_model_url(r.model_url);
  r.sha256 = normalize_sha256(require_string(body, "sha256", 64));
  double size = require_number(body, "size", {1, 1e15});
  if (size != static_cast<double>(static_cast<std::uint64_t>(size)))
    throw FieldError("size", "'size' must be a whole number of bytes");
  r.size = static_cast<std::uint64_t>(size);
  r.activate = optional_bool(body, "activate").value_or(true);
  if (auto preprocess = optional_string(body, "preprocess", 32)) {
    runtime::parse_convention(*preprocess, "preprocess");  // FieldError listing the accepted names
    r.preprocess = *preprocess;
  }
  if (auto weights = optional_string(body, "weights", 32)) {
    validate_weights(*weights);
    r.weights = *weights;
  }
  return r;
}

DeployJob::DeployJob(ModelStore& store, ModelManager& manager, const Clock& clock)
    : store_(store), manager_(manager), clock_(clock) {}

DeployJob::~DeployJob() { wait(); }

void DeployJob::wait() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    t = std::move(thread_);
  }
  if (t.joinable()) t.join();
}

void DeployJob::start(const DeployRequest& request) {
  auto url = parse_model_url(request.model_url);
  std::lock_guard lock(mu_);
  if (busy_)
    throw Error(ErrorKind::conflict, "a deployment is already in progress (" + progress_.value("model_name", "") + ")");
  store_.check_space(request.size);        // 507 now rather than after a long download
  if (thread_.joinable()) thread_.join();  // the previous, finished job
  busy_ = true;
  progress_ = {{"state", "downloading"},    {"model_name", request.model_name},
               {"sha256", request.sha256},  {"url", request.model_url},
               {"received_bytes", 0},       {"total_bytes", request.size},
               {"started", clock_.now_s()}, {"finished", nullptr},
               {"error", nullptr}};
  thread_ = std::thread([this, request, url] { run(request, url); });
}

void DeployJob::set_state(const std::string& state, const std::string& error) {
  std::lock_guard lock(mu_);
  progress_["state"] = state;
  if (!error.empty()) progress_["error"] = error;
  if (state == "done" || state == "failed") {
    progress_["finished"] = clock_.now_s();
    busy_ = false;
  }
}

void DeployJob::run(DeployRequest request, ParsedUrl url) {
  try {
    Expected expected{request.model_name, request.sha256, request.size};
    auto file = store_.begin(expected);
    FetchOptions opts;
    opts.expected_size = request.size;
    opts.on_progress = [this](std::uint64_t got, std::optional<std::uint64_t>) {
      std::lock_guard lock(mu_);
      progress_["received_bytes"] = got;
    };
    fetch_model(url, *file, opts);
    auto ref = store_.commit(std::move(file), expected);
    store_.set_preprocess(ref, request.preprocess);  // before activation, which reads it back with the model
    store_.set_weights(ref, request.weights);
    log::info("agent", "stored " + ref.name + "@" + ref.sha256.substr(0, 12) + " from " + request.model_url);
    if (request.activate) {
      set_state("activating");
      manager_.activate(ref.name, ref.sha256);
    }
    set_state("done");
  } catch (const std::exception& e) {
    log::error("agent", std::string("deployment of ") + request.model_name + " failed: " + e.what());
    {
      std::lock_guard lock(mu_);
      progress_["failure"] = wire::to_string(wire::failure_kind_of(e));  // the controller records the kind
    }
    set_state("failed", e.what());
  }
}

}  // namespace edgeml::agent

namespace edgeml::agent {

nlohmann::json DeployJob::progress() const {
  std::lock_guard lock(mu_);
  return progress_;
}

}  // namespace edgeml::agent
