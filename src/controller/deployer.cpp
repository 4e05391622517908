#include "controller/deployer.hpp"

#include <chrono>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "controller/artifact_availability.hpp"
#include "controller/artifact_resolver.hpp"
#include "controller/catalog_service.hpp"
#include "controller/energy_gate.hpp"
#include "controller/transports.hpp"
#include "onnx/inspector.hpp"

namespace edgeml::controller {

// One deployment's record, kept in step with its state machine, the database and the event stream. It is also what
// the transport reports progress to.
class Deployer::Run final : public CommandWatcher {
  Deployer& d_;

 public:
  Run(Deployer& d, long long id) : d_(d), rec(*d.db_.deployments().get(id)) {}

  void begin_step(wire::DeployStep step) {
    machine_.enter(step);  // Error(conflict) for a step out of order: a bug, ends the deployment as internal
    step_name_ = wire::to_string(step);
    step_start_ = d_.clock_.now_s();
    step_mono_ = d_.clock_.monotonic_s();
    d_.events_.publish(topic(rec.id), "step",
                       {{"deployment_id", rec.id}, {"name", step_name_}, {"status", "started"}, {"at", step_start_}});
  }
  void end_step(wire::StepStatus status, const std::string& detail) {
    StepRecord s{step_name_, wire::to_string(status), detail, step_start_, d_.clock_.monotonic_s() - step_mono_};
    d_.db_.deployments().add_step(rec.id, s);
    d_.events_.publish(topic(rec.id), "step",
                       {{"deployment_id", rec.id},
                        {"name", s.name},
                        {"status", s.status},
                        {"duration_s", s.duration_s},
                        {"detail", detail}});
    step_name_.clear();
  }
  // Ends the deployment (and the open step, if any, with the same outcome).
  void finish(wire::DeployState state, std::optional<wire::FailureKind> failure = std::nullopt,
              const std::string& error = "") {
    if (wire::is_final(machine_.state())) return;  // already ended (a second report of the same end)
    machine_.finish(state, failure, error);
    if (!step_name_.empty())
      end_step(state == wire::DeployState::succeeded  ? wire::StepStatus::passed
               : state == wire::DeployState::rejected ? wire::StepStatus::rejected
                                                      : wire::StepStatus::failed,
               error);
    rec.status = wire::to_string(state);
    rec.failure_kind = machine_.failure() ? wire::to_string(*machine_.failure()) : "";
    rec.error = error;
    rec.finished_at = d_.clock_.now_s();
    d_.db_.deployments().update(rec);
    d_.events_.publish(topic(rec.id), "done", to_json(rec, d_.db_.deployments().steps(rec.id)));
    d_.events_.close(topic(rec.id));
    if (d_.observer_) d_.observer_->deployment_finished(rec);
    log::info("controller", "deployment " + std::to_string(rec.id) + " of " + rec.model_name + " to " +
                                rec.device_name + ": " + rec.status + (error.empty() ? "" : " (" + error + ")"));
  }
  void finish(const CommandResult& r) {
    if (r.state == wire::DeployState::succeeded) {
      if (!step_name_.empty()) end_step(wire::StepStatus::passed, r.message);
      finish(wire::DeployState::succeeded);
    } else {
      finish(r.state, r.failure, r.message);
    }
  }
  void save() { d_.db_.deployments().update(rec); }
  bool running() const { return machine_.state() == wire::DeployState::running; }

  // CommandWatcher: the transport's reports.
  void step_passed(wire::DeployStep step, const std::string& detail) override {
    if (step_name_ != wire::to_string(step)) return;  // a repeated report (redelivered event): already recorded
    bool placeholder = step == wire::DeployStep::activation && rec.weights == kWeightsPlaceholder;
    end_step(wire::StepStatus::passed, placeholder ? detail + "; running placeholder weights" : detail);
    if (step == wire::DeployStep::transfer) begin_step(wire::DeployStep::activation);
    if (step == wire::DeployStep::activation || step == wire::DeployStep::rollback)
      begin_step(wire::DeployStep::health_check);
  }
  void bytes(std::uint64_t received, std::uint64_t total) override {
    d_.events_.publish(topic(rec.id), "progress",
                       {{"deployment_id", rec.id}, {"received_bytes", received}, {"total_bytes", total}});
  }
  bool stopping() const override { return d_.stopping(); }

  DeploymentRecord rec;

 private:
  wire::DeploymentMachine machine_;
  std::string step_name_;
  double step_start_ = 0, step_mono_ = 0;
};

namespace {
// The kind of a failure to find the model's file.
wire::FailureKind artifact_failure(const std::exception& e) {
  if (auto err = dynamic_cast<const Error*>(&e); err && err->kind() == ErrorKind::not_found)
    return wire::FailureKind::no_artifact;
  return wire::FailureKind::download;
}
}  // namespace

Deployer::Deployer(store::Store& db, ArtifactStore& store, EventHub& events, CatalogService& catalog,
                   std::vector<fetch::ModelSource> sources, const Clock& clock, DeploySettings settings,
                   DeviceTransports* transports)
    : db_(db),
      store_(store),
      events_(events),
      catalog_(catalog),
      sources_(std::move(sources)),
      clock_(clock),
      settings_(settings),
      own_transports_(transports
                          ? nullptr
                          : std::make_unique<ControllerTransports>(
                                clock, LanSettings{settings.poll_interval_s, settings.agent_timeout_s}, nullptr)),
      transports_(transports ? transports : own_transports_.get()) {}

Deployer::~Deployer() {
  stop();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads)
    if (t.joinable()) t.join();
}

void Deployer::stop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
}

bool Deployer::stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

Rollout Deployer::start(const DeployPlan& plan) {
  Rollout r;
  r.rollout_id = db_.deployments().next_rollout_id();
  for (const auto& dev : plan.devices) {
    DeploymentRecord rec;
    rec.rollout_id = r.rollout_id;
    rec.device_id = dev.id;
    rec.device_name = dev.name;
    rec.device_address = dev.address;
    rec.device_type = dev.device_type;
    rec.model_name = plan.model_name;
    rec.max_energy = plan.max_energy;
    rec.forced = plan.force;
    rec.started_at = clock_.now_s();
    r.deployment_ids.push_back(db_.deployments().begin(rec));
  }
  std::lock_guard lock(mu_);
  running_rollouts_.insert(r.rollout_id);
  threads_.emplace_back([this, plan, r] { run_rollout(plan, r); });
  return r;
}

void Deployer::wait(long long rollout_id) {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return running_rollouts_.count(rollout_id) == 0; });
}

void Deployer::run_rollout(DeployPlan plan, Rollout rollout) {
  std::vector<std::unique_ptr<Run>> runs;
  for (auto id : rollout.deployment_ids) runs.push_back(std::make_unique<Run>(*this, id));
  std::optional<ResolvedArtifact> artifact = plan.resolved;
  std::string artifact_error;
  wire::FailureKind artifact_kind = wire::FailureKind::no_artifact;
  auto get_artifact = [&] {
    if (artifact || !artifact_error.empty()) return;
    try {
      artifact = resolve_artifact(store_, sources_, plan.model_name);
    } catch (const std::exception& e) {
      artifact_error = e.what();
      artifact_kind = artifact_failure(e);
    }
  };
  try {
    // The catalog and predictors as they are now: rows arriving meanwhile do not change this rollout's figures.
    const auto catalog = catalog_.snapshot();
    const auto predictors = catalog_.predictors();
    // 1. Energy gate, for every device before anything moves: one device over budget stops the whole rollout.
    bool any_rejected = false;
    std::vector<std::string> gate_errors(runs.size());
    for (size_t i = 0; i < runs.size(); ++i) {
      auto& run = *runs[i];
      run.begin_step(wire::DeployStep::energy_gate);
      auto e = measured_energy(*catalog, plan.model_name, run.rec.device_type);
      if (!e) {
        get_artifact();
        if (artifact) {
          e = predicted_energy(predictors.get(), onnx::inspect_file(store_.path_of(artifact->artifact.file)),
                               run.rec.device_type);
        } else {
          e = EnergyFigure{std::nullopt, "unavailable", artifact_error, std::nullopt};
        }
      }
      auto decision = decide(*e, plan.max_energy, plan.force, settings_.unknown_energy);
      run.rec.energy_mwh = e->mwh;
      run.rec.energy_source = e->source;
      run.rec.predicted_per_inference_mj = e->per_inference_mj;
      run.save();
      run.end_step(wire::parse_step_status(decision.outcome), decision.reason + "; " + e->reason);
      if (!decision.allowed) {
        any_rejected = true;
        gate_errors[i] = decision.reason;
      }
    }
    if (any_rejected) {
      for (size_t i = 0; i < runs.size(); ++i)
        if (!gate_errors[i].empty())
          runs[i]->finish(wire::DeployState::rejected, wire::FailureKind::over_budget, gate_errors[i]);
        else
          runs[i]->finish(wire::DeployState::skipped, std::nullopt,
                          "another device of this rollout is over the energy budget");
    } else {
      // 2. Artifact, once for the rollout (each deployment's step covers the same resolution).
      for (auto& run : runs) run->begin_step(wire::DeployStep::artifact);
      get_artifact();
      for (auto& run : runs) {
        if (!artifact) {
          run->finish(wire::DeployState::failed, artifact_kind, artifact_error);
          continue;
        }
        run->rec.sha256 = artifact->artifact.sha256;
        run->rec.artifact_file = artifact->artifact.file;
        run->rec.artifact_source = artifact->origin == "zoo" ? "zoo (" + artifact->note + ")" : artifact->origin;
        run->rec.weights = artifact->weights;
        run->save();
        run->end_step(wire::StepStatus::passed, artifact->origin + ": " + artifact->artifact.file + " " +
                                                    std::to_string(artifact->artifact.size) + " bytes, sha256 " +
                                                    artifact->artifact.sha256 + " (" + artifact->note + "); " +
                                                    weights_note(artifact->weights));
      }
      // 3-5. Each device in turn; the rollout stops after max_failures failed devices.
      int failures = 0;
      for (size_t i = 0; artifact && i < runs.size(); ++i) {
        auto& run = *runs[i];
        if (failures >= plan.max_failures) {
          run.finish(wire::DeployState::skipped, std::nullopt,
                     "rollout stopped after " + std::to_string(failures) + " failed device(s)");
          continue;
        }
        if (!deploy_one(run, plan, plan.devices[i], artifact->artifact, artifact->weights)) ++failures;
      }
    }
  } catch (const std::exception& e) {
    log::error("controller", std::string("rollout failed: ") + e.what());
    for (auto& run : runs)
      if (run->running())
        run->finish(wire::DeployState::failed, wire::FailureKind::internal, std::string("internal error: ") + e.what());
  }
  std::lock_guard lock(mu_);
  running_rollouts_.erase(rollout.rollout_id);
  done_cv_.notify_all();
}

bool Deployer::deploy_one(Run& run, const DeployPlan& plan, const Device& device, const Artifact& artifact,
                          const std::string& weights) {
  try {
    // 3. The agent pulls the file from our store and verifies its sha256; 4. activates it; 5. its health is checked.
    run.begin_step(wire::DeployStep::transfer);
    DeployOrder order;
    order.deployment_id = run.rec.id;
    order.payload = {plan.model_name,
                     plan.base_url + "/models/" + artifact.file,
                     artifact.sha256,
                     artifact.size,
                     true,
                     plan.preprocess,
                     weights};
    order.timeout_s = settings_.timeout_s;
    auto result = transports_->of(device).deploy(device, order, run);
    // 6. The device measures what it now runs; the catalog learns from it (never fails the deployment). The window
    // is asked for over the agent's HTTP API, so MQTT devices (which the controller never calls) have none yet.
    if (result.state == wire::DeployState::succeeded && settings_.window.enabled() && plan.benchmark_window &&
        device.transport != "mqtt") {
      run.end_step(wire::StepStatus::passed, result.message);  // the health check
      run.begin_step(wire::DeployStep::benchmark_window);
      auto w = collect_post_deploy_window(device, settings_.window, catalog_);
      run.end_step(wire::parse_step_status(w.status), w.detail);
    }
    run.finish(result);
  } catch (const Error& e) {
    run.finish(wire::DeployState::failed,
               e.field() == "transport" ? wire::FailureKind::unreachable : wire::FailureKind::internal, e.what());
  } catch (const std::exception& e) {
    run.finish(wire::DeployState::failed, wire::FailureKind::internal, e.what());
  }
  return run.rec.status == "succeeded";
}

long long Deployer::rollback(const Device& device) {
  DeploymentRecord rec;
  rec.kind = "rollback";
  rec.device_id = device.id;
  rec.device_name = device.name;
  rec.device_address = device.address;
  rec.device_type = device.device_type;
  rec.started_at = clock_.now_s();
  long long id = db_.deployments().begin(rec);
  Run run(*this, id);
  try {
    run.begin_step(wire::DeployStep::rollback);
    auto result = transports_->of(device).rollback(device, id, settings_.timeout_s, run);
    if (result.state == wire::DeployState::succeeded) {
      run.rec.model_name = result.active_name;
      run.rec.sha256 = result.active_sha256;
      run.save();
    }
    run.finish(result);
  } catch (const Error& e) {
    run.finish(wire::DeployState::failed,
               e.field() == "transport" ? wire::FailureKind::unreachable : wire::FailureKind::internal, e.what());
  } catch (const std::exception& e) {
    run.finish(wire::DeployState::failed, wire::FailureKind::internal, e.what());
  }
  return id;
}

}  // namespace edgeml::controller
