#include "controller/lan_transport.hpp"

#include <chrono>
#include <thread>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/strings.hpp"
#include "controller/agent_client.hpp"

namespace edgeml::controller {

using wire::DeployStep;
using wire::FailureKind;

wire::FailureKind failure_of_agent_status(int status) {
  if (status == 507) return FailureKind::disk_full;
  if (status == 413) return FailureKind::too_large;
  return FailureKind::refused;
}

namespace {
// The kind the agent gave its failed job (deploy.failure), else what a failure at that point most likely was.
FailureKind job_failure(const nlohmann::json& deploy, FailureKind otherwise) {
  if (deploy.contains("failure") && deploy["failure"].is_string()) {
    try {
      return wire::parse_failure_kind(deploy["failure"].get<std::string>());
    } catch (const std::exception&) {
      // an agent newer than us: keep our guess
    }
  }
  return otherwise;
}
}  // namespace

CommandResult LanTransport::deploy(const store::Device& device, const DeployOrder& order, CommandWatcher& watcher) {
  const auto& p = order.payload;
  try {
    AgentClient agent(device.address, device.token, settings_.agent_timeout_s);
    nlohmann::json request{{"model_name", p.model_name},
                           {"model_url", p.model_url},
                           {"sha256", p.sha256},
                           {"size", p.size},
                           {"activate", p.activate}};
    if (!p.preprocess.empty()) request["preprocess"] = p.preprocess;
    if (!p.weights.empty()) request["weights"] = p.weights;  // the agent keeps it with the model, shows it in /status
    auto accepted = agent.post("/deploy", request);
    if (accepted.status != 202 && accepted.status != 200)
      return CommandResult::fail(failure_of_agent_status(accepted.status),
                                 "the agent refused the deployment: " + accepted.error_text());
    double deadline = clock_.monotonic_s() + order.timeout_s;
    double transfer_start = clock_.monotonic_s();
    bool transfer_open = true;
    long long last_bytes = -1;
    nlohmann::json status;
    std::string state;
    while (true) {
      if (watcher.stopping()) return CommandResult::fail(FailureKind::interrupted, "the controller is shutting down");
      if (clock_.monotonic_s() > deadline)
        return CommandResult::fail(FailureKind::timeout, "timed out after " + format_number(order.timeout_s, 0) +
                                                             " s (agent state '" + state + "')");
      auto reply = agent.get("/status");
      status = reply.body;
      auto deploy = status.is_object() ? status.value("deploy", nlohmann::json::object()) : nlohmann::json::object();
      state = deploy.value("state", "");
      bool ours = deploy.value("sha256", "") == p.sha256 && deploy.value("model_name", "") == p.model_name;
      if (ours) {
        long long got = deploy.value("received_bytes", 0LL);
        if (got != last_bytes) {
          last_bytes = got;
          watcher.bytes(static_cast<std::uint64_t>(got), p.size);
        }
        if (transfer_open && state != "downloading") {
          double s = clock_.monotonic_s() - transfer_start;
          if (state == "failed")
            return CommandResult::fail(job_failure(deploy, FailureKind::download),
                                       "the agent reports: " + deploy.value("error", std::string("deployment failed")));
          watcher.step_passed(DeployStep::transfer,
                              std::to_string(p.size) + " bytes pulled from " + p.model_url + " and verified (" +
                                  format_number(p.size / 1048576.0 / std::max(s, 1e-6), 1) + " MB/s)");
          transfer_open = false;
        }
        if (state == "failed")
          return CommandResult::fail(job_failure(deploy, FailureKind::activation),
                                     "the agent reports: " + deploy.value("error", std::string("activation failed")));
        if (state == "done") break;
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(settings_.poll_interval_s));
    }
    auto active = status.value("active_model", nlohmann::json());
    if (!active.is_object() || active.value("sha256", "") != p.sha256)
      return CommandResult::fail(FailureKind::activation, "the agent finished but another model is active");
    watcher.step_passed(DeployStep::activation, "active on " + active.value("backend", std::string("?")) +
                                                    ", loaded in " + format_number(active.value("load_s", 0.0), 3) +
                                                    " s");
    // Health: the agent's own check ran at activation; here its runtime must report the model running.
    auto health = agent.get("/status").body;
    std::string runtime = health.is_object() ? health["runtime"].value("state", "") : "";
    bool same = health.is_object() && health["active_model"].is_object() &&
                health["active_model"].value("sha256", "") == p.sha256;
    if (runtime != "running" || !same)
      return CommandResult::fail(FailureKind::health_check, "health check: runtime state '" + runtime + "'" +
                                                                (same ? "" : ", active model changed"));
    auto loop = health["inference"]["loop"];
    return CommandResult::ok("runtime running; inference loop " +
                                 std::string(loop.value("running", false) ? "running" : "not running") + " at " +
                                 format_number(loop.value("hz", 0.0), 2) + " Hz",
                             p.model_name, p.sha256);
  } catch (const AgentUnreachable& e) {
    return CommandResult::fail(FailureKind::unreachable, std::string("device unreachable: ") + e.what());
  }
}

CommandResult LanTransport::rollback(const store::Device& device, long long, double, CommandWatcher& watcher) {
  try {
    AgentClient agent(device.address, device.token, settings_.agent_timeout_s);
    auto reply = agent.post("/rollback", nlohmann::json::object());
    if (reply.status != 200)
      return CommandResult::fail(reply.status == 422 ? FailureKind::activation : failure_of_agent_status(reply.status),
                                 "the agent could not roll back: " + reply.error_text());
    watcher.step_passed(DeployStep::rollback, "the agent switched back to its previous model");
    // What is active now, read back from the agent's status (not from the rollback answer: the status is what runs).
    auto status = agent.get("/status").body;
    auto active = status.is_object() ? status.value("active_model", nlohmann::json()) : nlohmann::json();
    if (!active.is_object() || status["runtime"].value("state", "") != "running")
      return CommandResult::fail(FailureKind::health_check, "after the rollback the agent runs no model");
    std::string name = active.value("name", ""), sha = active.value("sha256", "");
    return CommandResult::ok("active again and running: " + name + " " + sha, name, sha);
  } catch (const AgentUnreachable& e) {
    return CommandResult::fail(FailureKind::unreachable, std::string("device unreachable: ") + e.what());
  }
}

}  // namespace edgeml::controller
