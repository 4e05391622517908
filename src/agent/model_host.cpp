#include "agent/model_host.hpp"

#include <chrono>
#include <cmath>

#include "common/error.hpp"
#include "runtime/runtime.hpp"

namespace edgeml::agent {

struct LoadedModel {
  ActiveModel info;
  std::unique_ptr<runtime::Runtime> runtime;
  // A runtime is not promised to be safe for concurrent runs (OpenCV's Net is not): one inference at a time.
  std::mutex run_mu;
};

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
TensorShape shape_of(const runtime::TensorInfo& t) { return {t.name, t.shape, t.element_count()}; }
}  // namespace

nlohmann::json input_spec_json(const ActiveModel& model) { return runtime::to_json(model.input_spec); }

ModelHost::ModelHost(std::string backend, int threads) : backend_(std::move(backend)), threads_(threads) {}
ModelHost::~ModelHost() = default;

std::vector<std::string> ModelHost::backends() { return runtime::available_backends(); }

std::shared_ptr<LoadedModel> ModelHost::prepare(const ModelRef& ref, const std::filesystem::path& file) const {
  auto model = std::make_shared<LoadedModel>();
  model->info.ref = ref;
  try {
    auto t0 = std::chrono::steady_clock::now();
    model->runtime = runtime::make_runtime(backend_);
    runtime::RuntimeOptions opts;
    opts.threads = threads_;
    model->runtime->load(file, opts);
    model->info.load_s = seconds_since(t0);
    model->info.backend = model->runtime->backend();
    model->info.input = shape_of(model->runtime->input());
    model->info.output = shape_of(model->runtime->output());
    model->info.input_spec = model->runtime->input_spec();
    if (!ref.preprocess.empty()) {
      model->info.input_spec.convention = runtime::parse_convention(ref.preprocess);
      model->info.input_spec.source = "deploy request (preprocess)";
    }
  } catch (const std::exception& e) {
    throw Error(ErrorKind::unprocessable,
                "model " + ref.name + " (" + ref.sha256.substr(0, 12) + ") failed to load: " + e.what());
  }
  try {
    auto t0 = std::chrono::steady_clock::now();
    auto out = model->runtime->run(synthetic_input(model->info.input.element_count));
    model->info.health_latency_s = seconds_since(t0);
    if (out.empty()) throw std::runtime_error("the model produced no output");
    for (float v : out)
      if (!std::isfinite(v)) throw std::runtime_error("the model produced a non-finite output (NaN or Inf)");
  } catch (const std::exception& e) {
    throw Error(ErrorKind::unprocessable, "model " + ref.name + " (" + ref.sha256.substr(0, 12) +
                                              ") failed its health-check inference: " + e.what());
  }
  return model;
}

void ModelHost::swap_in(std::shared_ptr<LoadedModel> model, double since_s) {
  model->info.since_s = since_s;
  std::lock_guard lock(mu_);
  model_ = std::move(model);
  ++generation_;
}

void ModelHost::unload() {
  std::lock_guard lock(mu_);
  model_.reset();
  ++generation_;
}

std::optional<ActiveModel> ModelHost::active() const {
  std::lock_guard lock(mu_);
  if (!model_) return std::nullopt;
  return model_->info;
}

std::uint64_t ModelHost::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

InferenceResult ModelHost::run(const std::vector<float>& input) const {
  std::shared_ptr<LoadedModel> model;
  {
    std::lock_guard lock(mu_);
    model = model_;  // keeps this runtime alive even if a swap happens meanwhile
  }
  if (!model) throw Error(ErrorKind::conflict, "no model is active");
  if (input.size() != model->info.input.element_count)
    throw FieldError("body", "the model expects " + std::to_string(model->info.input.element_count) +
                                 " input values, got " + std::to_string(input.size()));
  std::lock_guard run_lock(model->run_mu);
  auto t0 = std::chrono::steady_clock::now();
  InferenceResult r;
  r.output = model->runtime->run(input);
  r.latency_s = seconds_since(t0);
  return r;
}

}  // namespace edgeml::agent
