#pragma once
// What an agent reports about a command, on <prefix>/<device>/events (QoS 1): accepted or rejected at once, progress
// while it runs (deploy steps, bytes received), then succeeded or failed with a FailureKind.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wire/deploy_state.hpp"
#include "wire/enum_names.hpp"
#include "wire/failure_kind.hpp"

namespace edgeml::wire {

enum class EventKind { accepted, rejected, progress, succeeded, failed };
std::span<const EnumName<EventKind>> event_kind_names();
inline const char* to_string(EventKind k) { return name_of(event_kind_names(), k); }
bool is_final(EventKind k);  // rejected, succeeded, failed: the command's outcome

struct Event {
  std::string device;
  std::string command_id;
  EventKind kind = EventKind::accepted;
  double at = 0;                           // Unix seconds
  std::optional<DeployStep> step;          // the deploy step the agent is in (transfer, activation, health_check)
  std::optional<AgentJobState> job_state;  // the agent's deploy job (as GET /status "deploy.state")
  std::optional<std::uint64_t> received_bytes, total_bytes;
  std::optional<FailureKind> failure;    // rejected and failed: required; others: none
  std::string message;                   // human-readable; required with a failure
  std::optional<nlohmann::json> detail;  // an object: the result (active model, benchmark figures)
  bool operator==(const Event&) const = default;
};

nlohmann::json to_json(const Event& e);
std::string encode(const Event& e);
// Rules: rejected/failed carry a failure and a message; accepted/progress/succeeded carry no failure; progress carries
// a step, a job_state or received_bytes. Throws ProtocolError / FieldError.
Event parse_event(std::string_view payload, const std::string& topic_device = "");

}  // namespace edgeml::wire
