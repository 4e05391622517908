#pragma once
// Battery-aware model switching: which installed variant of one task the agent runs (or whether it pauses
// inference), decided from the battery's state of charge, whether it runs on battery, and an optional power or
// energy budget. Pure logic plus a small driver the agent calls on each telemetry sample; applying a switch (through
// ModelManager::activate, or pausing the inference loop) is the agent's job, so a switch gets the same atomic
// activation and health check as a deploy.
//
// Policy file (--policy FILE, or pushed by the controller):
//   {"rules": [{"battery_above": 60, "model": "large"},
//              {"battery_above": 20, "model": "small"},
//              {"battery_above": 0, "pause": true}],
//    "hysteresis_pct": 5,
//    "variants": [{"model": "large", "energy_per_inference_mj": 41.0}, {"model": "small", ...}],   (optional)
//    "budget": {"power_w": 4.5} | {"energy_wh_per_day": 60},                                       (optional)
//    "min_interval_s": 60}                                                                          (optional)
// Rules, in order: the first whose conditions hold wins. battery_above: the state of charge must be above it (a rule
// without it matches any charge); on_battery: true/false restricts the rule to running on battery / on an external
// supply. Below every threshold the last rule applies (the most frugal one, by the usual ordering).
//
// Hysteresis (no flapping): the agent leaves its rule for a more frugal one as soon as the charge is at or below the
// rule's threshold, but comes back to a hungrier rule only once the charge is above that rule's threshold plus
// hysteresis_pct. With 60/20 and 5: down to "small" at 60%, back to "large" above 65%. Step-ups also wait
// min_interval_s after the last switch; step-downs never wait (the battery comes first).
//
// Budget: a rule's model must fit. A variant's power is estimated as the idle power (where measured) plus its energy
// per inference times the loop's rate: an upper bound of the average power, since idle power is counted during
// inferences too. Energy per inference is the agent's measurement for that model where it has one, else the
// catalog's figure from "variants". A model over budget steps down to the next variant by energy (most
// energy-hungry first); stepping back up needs the estimate to fit with hysteresis_pct to spare. When no variant
// fits, inference pauses.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/snapshot.hpp"

namespace edgeml::agent {

struct PolicyRule {
  std::optional<double> battery_above;  // percent 0..100
  std::optional<bool> on_battery;
  std::string model;  // empty when pause
  bool pause = false;
  bool operator==(const PolicyRule&) const = default;
};

struct PolicyVariant {
  std::string model;
  std::optional<double> catalog_energy_per_inference_mj;  // from the catalog or the predictor, when given
  bool operator==(const PolicyVariant&) const = default;
};

struct PolicyBudget {
  std::optional<double> power_w;
  std::optional<double> energy_wh_per_day;
  double limit_w() const;  // power_w, or energy_wh_per_day / 24 h
  bool operator==(const PolicyBudget&) const = default;
};

struct BatteryPolicy {
  std::vector<PolicyRule> rules;
  double hysteresis_pct = 5;
  std::vector<PolicyVariant> variants;
  std::optional<PolicyBudget> budget;
  double min_interval_s = 0;
  bool operator==(const BatteryPolicy&) const = default;
};

// Throws FieldError naming the field ("rules[2].battery_above", "budget.power_w", "hysteresis_pct").
BatteryPolicy parse_battery_policy(const nlohmann::json& j);
// Reads and parses the file (FieldError "policy" naming the file when it cannot be read or is not JSON).
BatteryPolicy load_battery_policy(const std::string& path);
nlohmann::json to_json(const BatteryPolicy& p);

// What the agent knows besides the telemetry sample.
struct AgentFacts {
  std::string active_model;                              // "" when none is active
  bool paused = false;                                   // inference paused by the policy
  std::vector<std::string> installed;                    // stored model names
  std::optional<double> active_energy_per_inference_mj;  // measured for the active model (gross, telemetry)
  std::optional<double> idle_power_w;                    // measured while no inference ran
  double inference_hz = 0;                               // the loop's rate
};

struct Switch {
  enum class Kind { activate, pause, resume };
  Kind kind = Kind::activate;
  std::string model;   // activate: the variant to activate (its newest stored version); resume: the active one
  std::string reason;  // "battery 18% (discharging) at or below 20%: rule 3 (pause)"
  int rule = -1;       // index of the rule that decided
};
const char* to_string(Switch::Kind k);

struct PolicyEvent {
  double at_s = 0;
  std::string event;  // "activate", "pause", "resume", "failed"
  std::string model, reason;
  std::optional<double> battery_percent;
  std::optional<bool> on_battery;
};
nlohmann::json to_json(const PolicyEvent& e);

// Variants by energy per inference, most energy-hungry first: measured figures where the agent has them, else the
// catalog's; variants with neither come last, in the policy's order.
struct RankedVariant {
  std::string model;
  std::optional<double> energy_per_inference_mj;
  std::string source;  // "measured", "catalog", "unknown"
};

class BatteryPolicyDriver {
 public:
  explicit BatteryPolicyDriver(BatteryPolicy policy, double failure_retry_s = 300);

  // Called on each telemetry sample. A switch is returned once (the driver assumes it is applied; call failed() if
  // it was not) and only when the wanted state differs from the agent's. nullopt also when the battery's charge is
  // unknown: the reason is in status_json()["waiting"].
  std::optional<Switch> decide(double now_s, const telemetry::Snapshot& snapshot, const AgentFacts& facts);
  // The agent could not apply s (activation failed its health check, model missing): the driver returns to the
  // state before it and does not try that target again for failure_retry_s.
  void failed(const Switch& s, double now_s, const std::string& reason);

  std::vector<RankedVariant> ranked_variants() const;
  const std::vector<PolicyEvent>& events() const { return events_; }
  // For /status: the policy, the rule in force, what the last decision saw and why, recent switches.
  nlohmann::json status_json() const;
  const BatteryPolicy& policy() const { return policy_; }

 private:
  struct Wanted {
    bool pause = false;
    std::string model;
    int rule = -1;
    std::string reason;
  };
  bool rule_available(size_t i, const AgentFacts& facts, double now_s) const;
  bool rule_conditions_hold(size_t i, double percent, std::optional<bool> on_battery, double margin) const;
  Wanted by_battery(double percent, std::optional<bool> on_battery, const AgentFacts& facts, double now_s);
  Wanted within_budget(Wanted w, const AgentFacts& facts, double now_s) const;
  std::optional<double> estimated_power_w(const std::string& model, const AgentFacts& facts) const;
  void record(double now_s, const std::string& event, const std::string& model, const std::string& reason);

  BatteryPolicy policy_;
  double failure_retry_s_;
  std::optional<int> rule_;  // the rule in force (for hysteresis)
  std::optional<double> last_switch_s_;
  std::map<std::string, double> measured_mj_;     // last measured energy per inference, per model
  std::map<std::string, double> failed_until_s_;  // model (or "" for pause) -> no retry before
  std::optional<Wanted> before_last_;             // to go back to when the last switch failed
  std::optional<double> last_percent_;
  std::optional<bool> last_on_battery_;
  std::string waiting_;  // why no decision could be made, when so
  std::string last_reason_;
  std::vector<PolicyEvent> events_;  // newest last, at most kMaxEvents
  static constexpr size_t kMaxEvents = 50;
};

}  // namespace edgeml::agent
