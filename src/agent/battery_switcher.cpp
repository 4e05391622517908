#include "agent/battery_switcher.hpp"

#include <set>

#include "common/error.hpp"

namespace edgeml::agent {

BatterySwitcher::BatterySwitcher(BatteryPolicy policy, ModelStore& store, ModelManager& manager, InferenceLoop& loop,
                                 const Clock& clock)
    : driver_(std::move(policy)), store_(store), manager_(manager), loop_(loop), clock_(clock) {}

std::optional<Switch> BatterySwitcher::on_sample(const telemetry::Snapshot& snapshot, AgentFacts facts) {
  std::lock_guard lock(mu_);
  AgentState state = manager_.state();
  facts.active_model = state.active ? state.active->name : "";
  facts.paused = pause_ != nullptr;
  std::set<std::string> names;
  auto versions = store_.list();  // by name, newest first
  for (const auto& ref : versions) names.insert(ref.name);
  facts.installed.assign(names.begin(), names.end());

  double now = clock_.now_s();
  auto decision = driver_.decide(now, snapshot, facts);
  if (!decision) return std::nullopt;
  try {
    switch (decision->kind) {
      case Switch::Kind::pause:
        pause_ = std::make_unique<InferenceLoop::Pause>(loop_);
        break;
      case Switch::Kind::resume:
        pause_.reset();
        break;
      case Switch::Kind::activate: {
        const ModelRef* newest = nullptr;
        for (const auto& ref : versions)
          if (ref.name == decision->model) {
            newest = &ref;
            break;
          }
        if (!newest) throw NotFoundError("no stored version of " + decision->model, "model");
        // Throws when the health check fails; the old model stays. The history entry says it was the policy.
        manager_.activate(newest->name, newest->sha256, "policy_switch");
        pause_.reset();
        break;
      }
    }
  } catch (const std::exception& e) {
    driver_.failed(*decision, now, e.what());
    return std::nullopt;
  }
  return decision;
}

void BatterySwitcher::set_policy(BatteryPolicy policy) {
  std::lock_guard lock(mu_);
  driver_ = BatteryPolicyDriver(std::move(policy));
}

bool BatterySwitcher::paused() const {
  std::lock_guard lock(mu_);
  return pause_ != nullptr;
}

nlohmann::json BatterySwitcher::status_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json j = driver_.status_json();
  j["paused"] = pause_ != nullptr;
  return j;
}

}  // namespace edgeml::agent
