#include "wire/deploy_state.hpp"

#include <array>

#include "common/error.hpp"

namespace edgeml::wire {

namespace {
using DS = DeployState;
using St = DeployStep;
using J = AgentJobState;

constexpr std::array<EnumName<DS>, 6> kStates{{
    {DS::running, "running"},
    {DS::succeeded, "succeeded"},
    {DS::failed, "failed"},
    {DS::rejected, "rejected"},
    {DS::interrupted, "interrupted"},
    {DS::skipped, "skipped"},
}};
constexpr std::array<EnumName<St>, 7> kSteps{{
    {St::energy_gate, "energy_gate"},
    {St::artifact, "artifact"},
    {St::transfer, "transfer"},
    {St::activation, "activation"},
    {St::health_check, "health_check"},
    {St::rollback, "rollback"},
    {St::benchmark_window, "benchmark_window"},
}};
constexpr std::array<EnumName<StepStatus>, 6> kStepStatus{{
    {StepStatus::started, "started"},
    {StepStatus::passed, "passed"},
    {StepStatus::failed, "failed"},
    {StepStatus::rejected, "rejected"},
    {StepStatus::skipped, "skipped"},
    {StepStatus::forced, "forced"},
}};
constexpr std::array<EnumName<J>, 5> kJobStates{{
    {J::idle, "idle"},
    {J::downloading, "downloading"},
    {J::activating, "activating"},
    {J::done, "done"},
    {J::failed, "failed"},
}};

// The whole machine, in three tables.
constexpr std::array<StateTransition, 5> kStateTransitions{{
    {DS::running, DS::succeeded},
    {DS::running, DS::failed},
    {DS::running, DS::rejected},
    {DS::running, DS::interrupted},
    {DS::running, DS::skipped},
}};
constexpr std::array<StepTransition, 8> kStepTransitions{{
    {std::nullopt, St::energy_gate},
    {St::energy_gate, St::artifact},
    {St::artifact, St::transfer},
    {St::transfer, St::activation},
    {St::activation, St::health_check},
    {std::nullopt, St::rollback},
    {St::rollback, St::health_check},
    {St::health_check, St::benchmark_window},
}};
// An agent runs one job at a time; done and failed wait for the next one. downloading -> done is a deploy with
// activate=false.
constexpr std::array<JobTransition, 8> kJobTransitions{{
    {J::idle, J::downloading},
    {J::downloading, J::activating},
    {J::downloading, J::done},
    {J::downloading, J::failed},
    {J::activating, J::done},
    {J::activating, J::failed},
    {J::done, J::downloading},
    {J::failed, J::downloading},
}};

std::string step_name(std::optional<DeployStep> s) { return s ? to_string(*s) : "(no step)"; }
}  // namespace

std::span<const EnumName<DeployState>> deploy_state_names() { return kStates; }
std::span<const EnumName<DeployStep>> deploy_step_names() { return kSteps; }
std::span<const EnumName<StepStatus>> step_status_names() { return kStepStatus; }
std::span<const EnumName<AgentJobState>> agent_job_state_names() { return kJobStates; }
std::span<const StateTransition> deploy_state_transitions() { return kStateTransitions; }
std::span<const StepTransition> deploy_step_transitions() { return kStepTransitions; }
std::span<const JobTransition> agent_job_transitions() { return kJobTransitions; }

DeployState parse_deploy_state(std::string_view n, std::string_view f) { return parse_enum<DS>(kStates, n, f); }
DeployStep parse_deploy_step(std::string_view n, std::string_view f) { return parse_enum<St>(kSteps, n, f); }
AgentJobState parse_agent_job_state(std::string_view n, std::string_view f) { return parse_enum<J>(kJobStates, n, f); }
StepStatus parse_step_status(std::string_view n, std::string_view f) {
  return parse_enum<StepStatus>(kStepStatus, n, f);
}

bool is_final(DeployState s) { return s != DS::running; }

bool allowed(DeployState from, DeployState to) {
  for (const auto& t : kStateTransitions)
    if (t.from == from && t.to == to) return true;
  return false;
}
bool allowed(std::optional<DeployStep> from, DeployStep to) {
  for (const auto& t : kStepTransitions)
    if (t.from == from && t.to == to) return true;
  return false;
}
bool allowed(AgentJobState from, AgentJobState to) {
  for (const auto& t : kJobTransitions)
    if (t.from == from && t.to == to) return true;
  return false;
}

void check_transition(DeployState from, DeployState to) {
  if (!allowed(from, to))
    throw Error(ErrorKind::conflict,
                std::string("a deployment cannot go from ") + to_string(from) + " to " + to_string(to), "status");
}
void check_transition(std::optional<DeployStep> from, DeployStep to) {
  if (!allowed(from, to))
    throw Error(ErrorKind::conflict, "a deployment cannot go from step " + step_name(from) + " to " + to_string(to),
                "step");
}
void check_transition(AgentJobState from, AgentJobState to) {
  if (!allowed(from, to))
    throw Error(ErrorKind::conflict,
                std::string("the agent's deploy job cannot go from ") + to_string(from) + " to " + to_string(to),
                "state");
}

void DeploymentMachine::enter(DeployStep step) {
  if (is_final(state_))
    throw Error(ErrorKind::conflict,
                std::string("the deployment is already ") + to_string(state_) + ", it cannot enter " + to_string(step),
                "step");
  check_transition(step_, step);
  step_ = step;
}

void DeploymentMachine::finish(DeployState final_state, std::optional<FailureKind> failure, std::string message) {
  check_transition(state_, final_state);
  switch (final_state) {
    case DS::failed:
    case DS::rejected:
      if (!failure)
        throw FieldError("failure", std::string("a ") + to_string(final_state) + " deployment needs a kind");
      break;
    case DS::interrupted:
      if (failure && *failure != FailureKind::interrupted)
        throw FieldError("failure", "an interrupted deployment has failure kind 'interrupted'");
      failure = FailureKind::interrupted;
      break;
    default:
      if (failure)
        throw FieldError("failure", std::string("a ") + to_string(final_state) + " deployment has no failure kind");
  }
  state_ = final_state;
  failure_ = failure;
  message_ = std::move(message);
}

}  // namespace edgeml::wire
