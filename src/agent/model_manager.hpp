#pragma once
// Decides which model is active and keeps that decision on disk. Every change follows the same order, so that a
// failure or a crash at any point leaves the previous model active:
//   1. verify the stored file's sha256    2. load it and run one health-check inference (ModelHost::prepare)
//   3. write the new agent state atomically    4. swap the runtime in    5. prune old versions
// A failure in 1-3 keeps the current model and records why (last_failure, history). A crash before 3 completes is
// undone by restore() at the next start, which reads the state file as it was.
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "agent/agent_state.hpp"
#include "agent/model_host.hpp"
#include "agent/model_store.hpp"
#include "common/clock.hpp"

namespace edgeml::agent {

struct ActivationFailure {
  double at_s = 0;
  std::string name, sha256, reason;
};

class ModelManager {
 public:
  // activation_test_delay_s: TEST HOOK ONLY (EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS) -- sleeps between the
  // health check and the state write so tests can SIGKILL the agent in the middle of an activation.
  ModelManager(ModelStore& store, ModelHost& host, const Clock& clock, double activation_test_delay_s = 0);

  // At start: brings back the active model of the state file (or the previous one when it no longer loads).
  void restore();
  // Throws NotFoundError (no such version), Error(422) (failed; the current model stays active). event names the
  // history entry: "activated" for a deploy or an explicit activation, "policy_switch" for the battery policy.
  ModelRef activate(const std::string& name, const std::string& sha256, const std::string& event = "activated");
  // Activates the previous version; Error(409) when there is none.
  ModelRef rollback();

  AgentState state() const;
  std::optional<ActivationFailure> last_failure() const;
  bool activating() const { return activating_.load(); }

 private:
  ModelRef activate_locked(const ModelRef& ref, const std::string& event);
  void record_failure_locked(const ModelRef& ref, const std::string& event, const std::string& reason);
  std::shared_ptr<LoadedModel> verify_and_prepare(const ModelRef& ref) const;

  ModelStore& store_;
  ModelHost& host_;
  const Clock& clock_;
  double test_delay_s_;
  std::mutex activation_mu_;     // one activation (or restore) at a time; only its holder writes state_
  mutable std::mutex state_mu_;  // short reads/writes of state_ and last_failure_ (so /status never waits)
  AgentState state_;
  std::optional<ActivationFailure> last_failure_;
  std::atomic<bool> activating_{false};
};

}  // namespace edgeml::agent
