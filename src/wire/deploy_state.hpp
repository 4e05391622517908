#pragma once
// The deployment state machine: its states, steps and allowed transitions written once, here. The controller records
// one DeploymentMachine per device and deployment (or rollback); the agent reports its own job with AgentJobState.
//
//   state:  running --> succeeded | failed | rejected | interrupted | skipped     (the five are final)
//   steps (while running), each entered once, in this order:
//     deploy:    energy_gate -> artifact -> transfer -> activation -> health_check [-> benchmark_window]
//     rollback:  rollback -> health_check
//   benchmark_window (LAN devices with a power source): the device measures the model it now runs for the catalog.
//   A step ends passed, failed or rejected; the gate may also end skipped (nothing compared with a budget) or forced
//   (a rejection overridden), and the window skipped (the agent said why).
//   A deployment may end in any step (the gate rejects, the transfer fails...). failed and rejected carry a
//   FailureKind; interrupted carries FailureKind::interrupted; succeeded and skipped carry none.
//
// The names are those the HTTP API shows today (GET /api/deployments/<id>: status, steps[].name, steps[].status;
// the agent's GET /status: deploy.state), so the API keeps its JSON.
#include <optional>
#include <span>
#include <string>

#include "wire/enum_names.hpp"
#include "wire/failure_kind.hpp"

namespace edgeml::wire {

enum class DeployState { running, succeeded, failed, rejected, interrupted, skipped };
enum class DeployStep { energy_gate, artifact, transfer, activation, health_check, rollback, benchmark_window };
enum class StepStatus { started, passed, failed, rejected, skipped, forced };
// The agent's own deploy job (GET /status "deploy.state").
enum class AgentJobState { idle, downloading, activating, done, failed };

std::span<const EnumName<DeployState>> deploy_state_names();
std::span<const EnumName<DeployStep>> deploy_step_names();
std::span<const EnumName<StepStatus>> step_status_names();
std::span<const EnumName<AgentJobState>> agent_job_state_names();
inline const char* to_string(DeployState s) { return name_of(deploy_state_names(), s); }
inline const char* to_string(DeployStep s) { return name_of(deploy_step_names(), s); }
inline const char* to_string(StepStatus s) { return name_of(step_status_names(), s); }
inline const char* to_string(AgentJobState s) { return name_of(agent_job_state_names(), s); }
DeployState parse_deploy_state(std::string_view name, std::string_view field = "status");
DeployStep parse_deploy_step(std::string_view name, std::string_view field = "step");
AgentJobState parse_agent_job_state(std::string_view name, std::string_view field = "state");
StepStatus parse_step_status(std::string_view name, std::string_view field = "status");

bool is_final(DeployState s);

// The transition tables. An empty `from` step is "no step yet".
struct StateTransition {
  DeployState from, to;
};
struct StepTransition {
  std::optional<DeployStep> from;
  DeployStep to;
};
struct JobTransition {
  AgentJobState from, to;
};
std::span<const StateTransition> deploy_state_transitions();
std::span<const StepTransition> deploy_step_transitions();
std::span<const JobTransition> agent_job_transitions();

bool allowed(DeployState from, DeployState to);
bool allowed(std::optional<DeployStep> from, DeployStep to);
bool allowed(AgentJobState from, AgentJobState to);
// Throw Error(conflict, field "status" / "step" / "state") naming both ends of an illegal transition.
void check_transition(DeployState from, DeployState to);
void check_transition(std::optional<DeployStep> from, DeployStep to);
void check_transition(AgentJobState from, AgentJobState to);

// One deployment's progress through the machine. Not thread-safe: the owner serializes (one deployment, one thread).
class DeploymentMachine {
 public:
  DeployState state() const { return state_; }
  std::optional<DeployStep> step() const { return step_; }
  std::optional<FailureKind> failure() const { return failure_; }
  const std::string& message() const { return message_; }

  // Enters the next step; Error(conflict) when not running or the step is out of order.
  void enter(DeployStep step);
  // Ends the deployment. Error(conflict) from a final state; FieldError("failure") when the kind does not fit the
  // state (failed/rejected need one, interrupted is FailureKind::interrupted, succeeded/skipped take none).
  void finish(DeployState final_state, std::optional<FailureKind> failure = std::nullopt, std::string message = "");

 private:
  DeployState state_ = DeployState::running;
  std::optional<DeployStep> step_;
  std::optional<FailureKind> failure_;
  std::string message_;
};

}  // namespace edgeml::wire
