#pragma once
// What became of a deployment whose command a controller sent just before it died, asked of the device itself (a LAN
// agent's GET /status names its deploy job's model and sha256 and the active model), so that the controller taking the
// rollout over neither sends it a second time nor reports it failed while it runs.
#include <string>

#include "store/records.hpp"

namespace edgeml::controller {

enum class SentState {
  active,       // the model (by sha256) is active and the agent's job for it, if any, is done
  in_progress,  // the agent's deploy job for this model is still downloading or activating
  failed,       // the agent's job for this model failed (detail: its error)
  absent,       // the agent never got the command (no job for this model, another model active): safe to send
};

struct SentProbe {
  SentState state = SentState::absent;
  std::string detail;
};

// Throws AgentUnreachable (agent_client.hpp) when the agent does not answer.
SentProbe probe_lan_deploy(const store::Device& device, const std::string& model_name, const std::string& sha256,
                           int timeout_s);

}  // namespace edgeml::controller
