#pragma once
// What a device's agent says about itself, for the dashboard's device page (GET /api/devices/<id>/agent): its
// GET /status (agent version, device facts, active and previous model, runtime state, last activation failure, deploy
// progress) and GET /models (every stored version, which is active and which is previous, the activation history).
#include <nlohmann/json.hpp>

#include "store/records.hpp"

namespace edgeml::controller {

// {status, models}; Error(upstream_failed, field "id") naming the device and the call when the agent does not answer
// or answers an error.
nlohmann::json agent_overview(const store::Device& device, int timeout_s = 3);

}  // namespace edgeml::controller
