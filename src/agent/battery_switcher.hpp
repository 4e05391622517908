#pragma once
// Applies the battery policy's decisions to the running agent: an "activate" goes through ModelManager::activate
// (sha256 check, load, health-check inference, atomic state write -- the same path as a deploy), a "pause" holds the
// inference loop's Pause until a "resume" or an activation. A failed activation is reported back to the driver, which
// keeps the current model and tries that variant again later. The agent calls on_sample() with each telemetry sample;
// /status shows status_json().
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "agent/battery_policy.hpp"
#include "agent/inference_loop.hpp"
#include "agent/model_manager.hpp"
#include "agent/model_store.hpp"
#include "common/clock.hpp"

namespace edgeml::agent {

class BatterySwitcher {
 public:
  BatterySwitcher(BatteryPolicy policy, ModelStore& store, ModelManager& manager, InferenceLoop& loop,
                  const Clock& clock);

  // measured: what telemetry knows (the active model's energy per inference, idle power, the loop's rate); the
  // switcher fills in the active model, the installed names and whether it paused the loop. Returns the switch it
  // applied, if any (a failed one is not returned: it is in the events with its reason).
  std::optional<Switch> on_sample(const telemetry::Snapshot& snapshot, AgentFacts measured);

  // A new policy (pushed by the controller): decisions start over under it; a pause it held is kept until the new
  // policy decides otherwise.
  void set_policy(BatteryPolicy policy);

  bool paused() const;
  // The driver's view ("policy", "rule_in_force", "battery_percent", "reason", "waiting", "variants_by_energy",
  // "events") plus "paused".
  nlohmann::json status_json() const;

 private:
  BatteryPolicyDriver driver_;
  ModelStore& store_;
  ModelManager& manager_;
  InferenceLoop& loop_;
  const Clock& clock_;
  mutable std::mutex mu_;  // one sample at a time; status_json reads under it
  std::unique_ptr<InferenceLoop::Pause> pause_;
};

}  // namespace edgeml::agent
