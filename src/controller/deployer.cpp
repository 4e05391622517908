#include "controller/deployer.hpp"

#include <chrono>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "controller/agent_client.hpp"
#include "controller/artifact_resolver.hpp"
#include "controller/energy_gate.hpp"
#include "onnx/inspector.hpp"

namespace edgeml::controller {

// One deployment's record, kept in step with the database and the event stream.
class Deployer::Run {
  Deployer& d_;

 public:
  Run(Deployer& d, long long id) : d_(d), rec(*d.db_.deployments().get(id)) {}

  void begin_step(const std::string& name) {
    step_name_ = name;
    step_start_ = d_.clock_.now_s();
    step_mono_ = d_.clock_.monotonic_s();
    d_.events_.publish(topic(rec.id), "step",
                       {{"deployment_id", rec.id}, {"name", name}, {"status", "started"}, {"at", step_start_}});
  }
  void end_step(const std::string& status, const std::string& detail) {
    StepRecord s{step_name_, status, detail, step_start_, d_.clock_.monotonic_s() - step_mono_};
    d_.db_.deployments().add_step(rec.id, s);
    d_.events_.publish(topic(rec.id), "step",
                       {{"deployment_id", rec.id},
                        {"name", s.name},
                        {"status", status},
                        {"duration_s", s.duration_s},
                        {"detail", detail}});
    step_name_.clear();
  }
  void progress(const nlohmann::json& p) { d_.events_.publish(topic(rec.id), "progress", p); }
  // Ends the deployment (and the open step, if any, with the same outcome).
  void finish(const std::string& status, const std::string& error = "") {
    if (!step_name_.empty()) end_step(status == "succeeded" ? "passed" : "failed", error);
    rec.status = status;
    rec.error = error;
    rec.finished_at = d_.clock_.now_s();
    d_.db_.deployments().update(rec);
    d_.events_.publish(topic(rec.id), "done", to_json(rec, d_.db_.deployments().steps(rec.id)));
    d_.events_.close(topic(rec.id));
    log::info("controller", "deployment " + std::to_string(rec.id) + " of " + rec.model_name + " to " +
                                rec.device_name + ": " + status + (error.empty() ? "" : " (" + error + ")"));
  }
  void save() { d_.db_.deployments().update(rec); }

  DeploymentRecord rec;

 private:
  std::string step_name_;
  double step_start_ = 0, step_mono_ = 0;
};

Deployer::Deployer(store::Store& db, ArtifactStore& store, EventHub& events, const catalog::Catalog& catalog,
                   const predictor::PredictorSet* predictors, std::vector<fetch::ModelSource> sources,
                   const Clock& clock, DeploySettings settings)
    : db_(db),
      store_(store),
      events_(events),
      catalog_(catalog),
      predictors_(predictors),
      sources_(std::move(sources)),
      clock_(clock),
      settings_(settings) {}

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
  std::optional<ResolvedArtifact> artifact;
  std::string artifact_error;
  auto get_artifact = [&] {
    if (artifact || !artifact_error.empty()) return;
    try {
      artifact = resolve_artifact(store_, sources_, plan.model_name);
    } catch (const std::exception& e) {
      artifact_error = e.what();
    }
  };
  try {
    // 1. Energy gate, for every device before anything moves: one device over budget stops the whole rollout.
    bool any_rejected = false;
    std::vector<std::string> gate_errors(runs.size());
    for (size_t i = 0; i < runs.size(); ++i) {
      auto& run = *runs[i];
      run.begin_step("energy_gate");
      auto e = measured_energy(catalog_, plan.model_name, run.rec.device_type);
      if (!e) {
        get_artifact();
        if (artifact) {
          e = predicted_energy(predictors_, onnx::inspect_file(store_.path_of(artifact->artifact.file)),
                               run.rec.device_type);
        } else {
          e = EnergyFigure{std::nullopt, "unavailable", artifact_error, std::nullopt};
        }
      }
      auto decision = decide(*e, plan.max_energy, plan.force);
      run.rec.energy_mwh = e->mwh;
      run.rec.energy_source = e->source;
      run.rec.predicted_per_inference_mj = e->per_inference_mj;
      run.save();
      run.end_step(decision.allowed ? "passed" : "rejected", decision.reason + "; " + e->reason);
      if (!decision.allowed) {
        any_rejected = true;
        gate_errors[i] = decision.reason;
      }
    }
    if (any_rejected) {
      for (size_t i = 0; i < runs.size(); ++i)
        if (!gate_errors[i].empty())
          runs[i]->finish("rejected", gate_errors[i]);
        else
          runs[i]->finish("skipped", "another device of this rollout is over the energy budget");
    } else {
      // 2. Artifact, once for the rollout (each deployment's step covers the same resolution).
      for (auto& run : runs) run->begin_step("artifact");
      get_artifact();
      for (auto& run : runs) {
        if (!artifact) {
          run->finish("failed", artifact_error);
          continue;
        }
        run->rec.sha256 = artifact->artifact.sha256;
        run->rec.artifact_file = artifact->artifact.file;
        run->rec.artifact_source = artifact->origin == "zoo" ? "zoo (" + artifact->note + ")" : artifact->origin;
        run->save();
        run->end_step("passed", artifact->origin + ": " + artifact->artifact.file + " " +
                                    std::to_string(artifact->artifact.size) + " bytes, sha256 " +
                                    artifact->artifact.sha256 + " (" + artifact->note + ")");
      }
      // 3-5. Each device in turn; the rollout stops after max_failures failed devices.
      int failures = 0;
      for (size_t i = 0; artifact && i < runs.size(); ++i) {
        auto& run = *runs[i];
        if (failures >= plan.max_failures) {
          run.finish("skipped", "rollout stopped after " + std::to_string(failures) + " failed device(s)");
          continue;
        }
        if (!deploy_one(run, plan, plan.devices[i], artifact->artifact, artifact->origin)) ++failures;
      }
    }
  } catch (const std::exception& e) {
    log::error("controller", std::string("rollout failed: ") + e.what());
    for (auto& run : runs)
      if (run->rec.status == "running") run->finish("failed", std::string("internal error: ") + e.what());
  }
  std::lock_guard lock(mu_);
  running_rollouts_.erase(rollout.rollout_id);
  done_cv_.notify_all();
}

bool Deployer::deploy_one(Run& run, const DeployPlan& plan, const Device& device, const Artifact& artifact,
                          const std::string& origin) {
  auto stopping = [&] {
    std::lock_guard lock(mu_);
    return stopping_;
  };
  try {
    AgentClient agent(device.address, device.token, settings_.agent_timeout_s, settings_.agent_tls);
    // 3. The agent pulls the file from our store and verifies its sha256.
    run.begin_step("transfer");
    std::string path = "/models/" + artifact.file;
    std::string url = plan.base_url + (settings_.model_link ? settings_.model_link(path) : path);
    auto accepted = agent.post(
        "/deploy",
        {{"model_name", plan.model_name}, {"model_url", url}, {"sha256", artifact.sha256}, {"size", artifact.size}});
    if (accepted.status != 202 && accepted.status != 200) {
      run.finish("failed", "the agent refused the deployment: " + accepted.error_text());
      return false;
    }
    double deadline = clock_.monotonic_s() + settings_.timeout_s;
    double transfer_start = clock_.monotonic_s();
    bool transfer_open = true;
    long long last_bytes = -1;
    nlohmann::json status;
    std::string state;
    while (true) {
      if (stopping()) {
        run.finish("interrupted", "the controller is shutting down");
        return false;
      }
      if (clock_.monotonic_s() > deadline) {
        run.finish("failed",
                   "timed out after " + format_number(settings_.timeout_s, 0) + " s (agent state '" + state + "')");
        return false;
      }
      auto reply = agent.get("/status");
      status = reply.body;
      auto deploy = status.is_object() ? status.value("deploy", nlohmann::json::object()) : nlohmann::json::object();
      state = deploy.value("state", "");
      bool ours = deploy.value("sha256", "") == artifact.sha256 && deploy.value("model_name", "") == plan.model_name;
      if (ours) {
        long long got = deploy.value("received_bytes", 0LL);
        if (got != last_bytes) {
          last_bytes = got;
          run.progress({{"deployment_id", run.rec.id}, {"received_bytes", got}, {"total_bytes", artifact.size}});
        }
        if (transfer_open && state != "downloading") {
          double s = clock_.monotonic_s() - transfer_start;
          if (state == "failed") {
            run.finish("failed", "the agent reports: " + deploy.value("error", std::string("deployment failed")));
            return false;
          }
          run.end_step("passed", std::to_string(artifact.size) + " bytes pulled from " + url + " and verified (" +
                                     format_number(artifact.size / 1048576.0 / std::max(s, 1e-6), 1) + " MB/s)");
          transfer_open = false;
          run.begin_step("activation");
        }
        if (state == "failed") {
          run.finish("failed", "the agent reports: " + deploy.value("error", std::string("activation failed")));
          return false;
        }
        if (state == "done") break;
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(settings_.poll_interval_s));
    }
    auto active = status.value("active_model", nlohmann::json());
    if (!active.is_object() || active.value("sha256", "") != artifact.sha256) {
      run.finish("failed", "the agent finished but another model is active");
      return false;
    }
    run.end_step("passed", "active on " + active.value("backend", std::string("?")) + ", loaded in " +
                               format_number(active.value("load_s", 0.0), 3) + " s");
    // 4. Health: the agent's own check ran at activation; here its runtime must report the model running.
    run.begin_step("health_check");
    auto health = agent.get("/status").body;
    std::string runtime = health.is_object() ? health["runtime"].value("state", "") : "";
    bool same = health.is_object() && health["active_model"].is_object() &&
                health["active_model"].value("sha256", "") == artifact.sha256;
    if (runtime != "running" || !same) {
      run.finish("failed", "health check: runtime state '" + runtime + "'" + (same ? "" : ", active model changed"));
      return false;
    }
    auto loop = health["inference"]["loop"];
    run.end_step("passed", "runtime running; inference loop " +
                               std::string(loop.value("running", false) ? "running" : "not running") + " at " +
                               format_number(loop.value("hz", 0.0), 2) + " Hz");
    run.finish("succeeded");
    return true;
  } catch (const AgentUnreachable& e) {
    run.finish("failed", std::string("device unreachable: ") + e.what());
  } catch (const std::exception& e) {
    run.finish("failed", e.what());
  }
  return false;
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
    AgentClient agent(device.address, device.token, settings_.agent_timeout_s, settings_.agent_tls);
    run.begin_step("rollback");
    auto reply = agent.post("/rollback", nlohmann::json::object());
    if (reply.status != 200) {
      run.finish("failed", "the agent could not roll back: " + reply.error_text());
      return id;
    }
    run.end_step("passed", "the agent switched back to its previous model");
    // What is active now, read back from the agent's status (not from the rollback answer: the status is what runs).
    run.begin_step("health_check");
    auto status = agent.get("/status").body;
    auto active = status.is_object() ? status.value("active_model", nlohmann::json()) : nlohmann::json();
    if (!active.is_object() || status["runtime"].value("state", "") != "running") {
      run.finish("failed", "after the rollback the agent runs no model");
      return id;
    }
    run.rec.model_name = active.value("name", "");
    run.rec.sha256 = active.value("sha256", "");
    run.save();
    run.end_step("passed", "active again and running: " + run.rec.model_name + " " + run.rec.sha256);
    run.finish("succeeded");
  } catch (const AgentUnreachable& e) {
    run.finish("failed", std::string("device unreachable: ") + e.what());
  } catch (const std::exception& e) {
    run.finish("failed", e.what());
  }
  return id;
}

}  // namespace edgeml::controller
