#pragma once
// The agent's GET /telemetry answer (telemetry/json.cpp plus "energy_model" and "inference", see
// agent/routes_telemetry.cpp) turned into a wire sample: the one mapping both transports use, so a device polled over
// HTTP and a device publishing over MQTT are stored alike (it replaces controller/telemetry_poller.cpp's
// sample_from_agent_json).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wire/telemetry_sample.hpp"

namespace edgeml::wire {

struct AgentSample {
  TelemetrySample sample;  // seq 0: the spool numbers it
  // Readings outside their range (sample_number_fields) are left null and named here, for the caller to log: a
  // broken sensor value must not make the whole sample (or its batch) unreadable at the controller.
  std::vector<std::string> out_of_range;
};

// t comes from "timestamp_s" (when the agent took it; FieldError("timestamp_s") when missing). keep_detail copies the
// whole answer into detail.
AgentSample sample_from_agent_telemetry(const nlohmann::json& telemetry, bool keep_detail);

}  // namespace edgeml::wire
