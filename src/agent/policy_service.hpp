#pragma once
// The agent's battery policy, whether it came from --policy FILE at start or was pushed later (PUT /policy from the
// controller): holds the BatterySwitcher once there is a policy, feeds it each telemetry sample with what the agent
// measured (the active model's gross energy per inference, idle power, the loop's rate), and answers /status's
// "battery_policy". Without a policy it does nothing and says so.
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "agent/battery_switcher.hpp"

namespace edgeml::agent {

class PolicyService {
 public:
  PolicyService(ModelStore& store, ModelManager& manager, InferenceLoop& loop, const Clock& clock);

  // --policy FILE: load_battery_policy's FieldError (naming the field or the file) stops the agent's start.
  void load_file(const std::filesystem::path& path);
  // A pushed policy: parse_battery_policy (FieldError naming the field), then applied from the next sample on.
  // Returns the policy as it is now in force.
  nlohmann::json set_policy(const nlohmann::json& body);
  // Each telemetry sample (the sampling thread).
  void on_sample(const telemetry::Snapshot& snapshot, const AgentFacts& measured);
  // {"configured": false} or the switcher's view with "configured": true and "source" (file path or "pushed").
  nlohmann::json status_json() const;

 private:
  void install(BatteryPolicy policy, const std::string& source);
  ModelStore& store_;
  ModelManager& manager_;
  InferenceLoop& loop_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::unique_ptr<BatterySwitcher> switcher_;
  std::string source_;
};

}  // namespace edgeml::agent
