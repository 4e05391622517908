#include "agent/policy_service.hpp"

#include "common/log.hpp"

namespace edgeml::agent {

PolicyService::PolicyService(ModelStore& store, ModelManager& manager, InferenceLoop& loop, const Clock& clock)
    : store_(store), manager_(manager), loop_(loop), clock_(clock) {}

void PolicyService::install(BatteryPolicy policy, const std::string& source) {
  std::lock_guard lock(mu_);
  if (switcher_)
    switcher_->set_policy(std::move(policy));
  else
    switcher_ = std::make_unique<BatterySwitcher>(std::move(policy), store_, manager_, loop_, clock_);
  source_ = source;
  log::info("agent", "battery policy in force (" + source + ")");
}

void PolicyService::load_file(const std::filesystem::path& path) { install(load_battery_policy(path), path.string()); }

nlohmann::json PolicyService::set_policy(const nlohmann::json& body) {
  auto policy = parse_battery_policy(body);
  nlohmann::json j = to_json(policy);
  install(std::move(policy), "pushed");
  return j;
}

void PolicyService::on_sample(const telemetry::Snapshot& snapshot, const AgentFacts& measured) {
  std::lock_guard lock(mu_);
  if (switcher_) switcher_->on_sample(snapshot, measured);
}

nlohmann::json PolicyService::status_json() const {
  std::lock_guard lock(mu_);
  if (!switcher_) return {{"configured", false}, {"reason", "no policy: start with --policy FILE or PUT /policy"}};
  nlohmann::json j = switcher_->status_json();
  j["configured"] = true;
  j["source"] = source_;
  return j;
}

}  // namespace edgeml::agent
