#include "controller/deployer.hpp"

#include <algorithm>
#include <chrono>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "controller/artifact_availability.hpp"
#include "controller/artifact_resolver.hpp"
#include "controller/catalog_service.hpp"
#include "controller/energy_gate.hpp"
#include "controller/takeover_probe.hpp"
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
  // A deployment taken over from a controller that died: its state machine re-enters the steps it had passed.
  void replay(const std::vector<StepRecord>& steps) {
    // Every stored step of a running deployment ended without ending it (passed, or a gate forced/skipped).
    for (const auto& s : steps) machine_.enter(wire::parse_deploy_step(s.name));
  }
  bool passed(wire::DeployStep step) const { return machine_.step() && *machine_.step() >= step; }
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
      own_transports_(
          transports ? nullptr
                     : std::make_unique<ControllerTransports>(
                           clock, LanSettings{settings.poll_interval_s, settings.agent_timeout_s, settings.agent_tls},
                           nullptr)),
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
    rec.owner = settings_.instance_id;
    rec.base_url = plan.base_url;
    rec.max_failures = plan.max_failures;
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
      // 3-5. Batches of batch_size devices, each batch's devices at once; no batch starts after max_failures
      // failed devices.
      int failures = 0;
      size_t batch = static_cast<size_t>(std::max(1, plan.batch_size));
      for (size_t first = 0; artifact && first < runs.size(); first += batch) {
        size_t end = std::min(runs.size(), first + batch);
        if (failures >= plan.max_failures) {
          for (size_t i = first; i < end; ++i)
            runs[i]->finish(wire::DeployState::skipped, std::nullopt,
                            "rollout stopped after " + std::to_string(failures) + " failed device(s)");
          continue;
        }
        std::vector<char> ok(end - first, 0);
        auto one = [&](size_t i) {
          ok[i - first] = deploy_one(*runs[i], plan, plan.devices[i], artifact->artifact, artifact->weights);
        };
        std::vector<std::thread> others;
        for (size_t i = first + 1; i < end; ++i) others.emplace_back(one, i);
        one(first);
        for (auto& t : others) t.join();
        for (char o : ok) failures += o ? 0 : 1;
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
    // A signed, expiring link when the controller asks for credentials: the agent needs none to pull.
    const std::string path = "/models/" + artifact.file;
    order.payload = {plan.model_name,
                     plan.base_url + (settings_.model_link ? settings_.model_link(path) : path),
                     artifact.sha256,
                     artifact.size,
                     true,
                     plan.preprocess,
                     weights};
    order.timeout_s = settings_.timeout_s;
    // Claimed before it is sent: a controller taking this rollout over never sends it a second time.
    if (!settings_.instance_id.empty() && !db_.deployments().claim_send(run.rec.id, run.rec.owner, clock_.now_s())) {
      log::warn("controller", "deployment " + std::to_string(run.rec.id) + " is no longer ours: not sent");
      return true;
    }
    run.rec.sent_at = clock_.now_s();
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
  rec.owner = settings_.instance_id;
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

// Several controllers on one database: the background lease holder continues the rollouts of a controller that died.
int Deployer::take_over_orphans() {
  if (settings_.instance_id.empty()) return 0;
  const std::string& me = settings_.instance_id;
  std::set<long long> rollouts;
  int claimed = 0;
  for (const auto& o : db_.deployments().orphaned(clock_.now_s(), settings_.liveness_prefix)) {
    if (o.owner == me || !db_.deployments().claim(o.id, o.owner, me)) continue;  // someone else was first
    ++claimed;
    log::warn("controller", "deployment " + std::to_string(o.id) + " of " + o.owner + " (no longer alive) taken over");
    if (o.rollout_id) {
      rollouts.insert(*o.rollout_id);
      continue;
    }
    // A rollback is one short command: ended as interrupted rather than repeated.
    Run run(*this, o.id);
    run.replay(db_.deployments().steps(o.id));
    run.finish(wire::DeployState::interrupted, wire::FailureKind::interrupted,
               "the controller running this rollback (" + o.owner + ") stopped");
  }
  std::lock_guard lock(mu_);
  for (long long r : rollouts) {
    if (stopping_ || !running_rollouts_.insert(r).second) continue;
    threads_.emplace_back([this, r] { resume_rollout(r); });
  }
  return claimed;
}

// The rest of a rollout from its stored deployments: finished ones count, the sent one is asked of its device, the
// others are deployed in turn as start() would have.
void Deployer::resume_rollout(long long rollout_id) {
  try {
    auto recs = db_.deployments().of_rollout(rollout_id);
    DeployPlan plan;
    plan.model_name = recs.front().model_name;
    plan.max_energy = recs.front().max_energy;
    plan.force = recs.front().forced;
    plan.max_failures = static_cast<int>(recs.front().max_failures);
    plan.base_url = settings_.public_url.empty() ? recs.front().base_url : settings_.public_url;
    int failures = 0;
    for (const auto& r : recs) failures += r.status == "failed" ? 1 : 0;
    std::optional<ResolvedArtifact> artifact;
    std::string artifact_error;
    try {
      artifact = resolve_artifact(store_, sources_, plan.model_name);
    } catch (const std::exception& e) {
      artifact_error = e.what();
    }
    for (const auto& r : recs) {
      if (r.status != "running" || r.owner != settings_.instance_id) continue;
      Run run(*this, r.id);
      run.replay(db_.deployments().steps(r.id));
      auto device = db_.devices().by_id(r.device_id);
      if (!run.passed(wire::DeployStep::artifact)) {
        run.finish(wire::DeployState::interrupted, wire::FailureKind::interrupted,
                   "the controller running this rollout stopped before the model's file was resolved");
      } else if (!device) {
        run.finish(wire::DeployState::failed, wire::FailureKind::internal, "the device was removed");
      } else if (!artifact || artifact->artifact.sha256 != r.sha256) {
        run.finish(wire::DeployState::failed, wire::FailureKind::no_artifact,
                   artifact ? "the model's file changed since the rollout started (sha256 " +
                                  artifact->artifact.sha256 + ", rollout " + r.sha256 + ")"
                            : artifact_error);
      } else if (failures >= plan.max_failures) {
        run.finish(wire::DeployState::skipped, std::nullopt,
                   "rollout stopped after " + std::to_string(failures) + " failed device(s)");
      } else if (r.sent_at) {
        resolve_sent(run, *device, artifact->artifact, plan);
      } else {
        deploy_one(run, plan, *device, artifact->artifact, r.weights);
      }
      if (run.rec.status == "failed") ++failures;
    }
  } catch (const std::exception& e) {
    log::error("controller", "taking over rollout " + std::to_string(rollout_id) + " failed: " + e.what());
  }
  std::lock_guard lock(mu_);
  running_rollouts_.erase(rollout_id);
  done_cv_.notify_all();
}

// A deployment whose command the controller that died had sent: the device says what became of it. Only a command
// the device never got is sent (once more, by us); one in progress is followed to its end.
void Deployer::resolve_sent(Run& run, const Device& device, const Artifact& artifact, const DeployPlan& plan) {
  if (device.transport != "lan") {
    run.finish(wire::DeployState::interrupted, wire::FailureKind::interrupted,
               "the controller that sent this MQTT command stopped; a takeover does not re-send MQTT commands yet");
    return;
  }
  run.begin_step(!run.passed(wire::DeployStep::transfer)     ? wire::DeployStep::transfer
                 : !run.passed(wire::DeployStep::activation) ? wire::DeployStep::activation
                                                             : wire::DeployStep::health_check);
  double deadline = clock_.monotonic_s() + settings_.timeout_s;
  std::string last_error;
  while (!stopping() && clock_.monotonic_s() < deadline) {
    try {
      auto probe = probe_lan_deploy(device, plan.model_name, artifact.sha256, settings_.agent_timeout_s);
      switch (probe.state) {
        case SentState::active:
          run.finish(
              CommandResult::ok("taken over from a controller that stopped; the device confirms: " + probe.detail));
          return;
        case SentState::failed:
          run.finish(wire::DeployState::failed, wire::FailureKind::activation, probe.detail);
          return;
        case SentState::absent:
          if (!run.passed(wire::DeployStep::transfer)) {
            DeployOrder order;
            order.deployment_id = run.rec.id;
            order.payload = {plan.model_name,
                             plan.base_url + "/models/" + artifact.file,
                             artifact.sha256,
                             artifact.size,
                             true,
                             plan.preprocess,
                             run.rec.weights};
            order.timeout_s = settings_.timeout_s;
            run.finish(transports_->of(device).deploy(device, order, run));
          } else {
            run.finish(wire::DeployState::failed, wire::FailureKind::activation,
                       "taken over after the transfer, but " + probe.detail);
          }
          return;
        case SentState::in_progress:
          break;
      }
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(settings_.poll_interval_s * 5));
  }
  if (stopping()) {
    run.finish(wire::DeployState::interrupted, wire::FailureKind::interrupted, "the controller is shutting down");
    return;
  }
  run.finish(wire::DeployState::failed,
             last_error.empty() ? wire::FailureKind::timeout : wire::FailureKind::unreachable,
             "taken over from a controller that stopped; the device did not finish in time" +
                 (last_error.empty() ? "" : " (" + last_error + ")"));
}

}  // namespace edgeml::controller
