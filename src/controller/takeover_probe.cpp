#include "controller/takeover_probe.hpp"

#include "controller/agent_client.hpp"

namespace edgeml::controller {

SentProbe probe_lan_deploy(const store::Device& device, const std::string& model_name, const std::string& sha256,
                           int timeout_s) {
  AgentClient agent(device.address, device.token, timeout_s);
  auto status = agent.get("/status").body;
  if (!status.is_object()) return {SentState::absent, "GET /status answered something that is not a JSON object"};
  auto job = status.value("deploy", nlohmann::json::object());
  auto active = status.value("active_model", nlohmann::json());
  bool ours = job.is_object() && job.value("sha256", "") == sha256 && job.value("model_name", "") == model_name;
  std::string state = ours ? job.value("state", "") : "";
  bool is_active = active.is_object() && active.value("sha256", "") == sha256;
  if (ours && state == "failed")
    return {SentState::failed, "the agent reports: " + job.value("error", std::string("deployment failed"))};
  if (ours && state != "done") return {SentState::in_progress, "the agent's deploy job is " + state};
  if (is_active) return {SentState::active, "sha256 " + sha256 + " is active on the agent"};
  if (ours) return {SentState::failed, "the agent finished this deployment but another model is active"};
  return {SentState::absent, "the agent has no deploy job for sha256 " + sha256};
}

}  // namespace edgeml::controller
