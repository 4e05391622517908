#pragma once
// Alert evaluation as a pure state machine: the controller feeds it what it stores as it arrives (telemetry values,
// device events) and the time; it answers with transitions, each exactly once:
//
//   (inactive) --condition holds--> pending --held for_s--> firing --every repeat_s--> repeat ... --clears--> resolved
//
// A rule with for_s = 0 goes straight to firing. A pending alert whose condition clears goes back to inactive without
// a transition (nothing was announced). No clock, thread or I/O inside: time comes with each call, so tests and a
// restarted controller replay it exactly. The state is JSON (state_json / restore_state) for the controller to store
// after each call that returned transitions, and to restore at start, so a firing alert is not announced again.
//
// Value metrics move on observations only: an alert pends, fires, repeats and resolves on a value that says so, never
// on silence (a device that stops reporting is the device_offline rule's business). Event metrics (device_offline,
// deploy_failed) move on events, and on tick() for what time alone decides (for_s of an offline device, repeats).
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "alerts/rule.hpp"
#include "common/fleet_scope.hpp"

namespace edgeml::alerts {

struct Observation {
  std::string device;
  Metric metric = Metric::temperature_c;  // a value metric (not device_offline / deploy_failed)
  double value = 0;                       // in the metric's unit
  double t_s = 0;                         // when it was measured (Unix seconds)
};

struct DeviceEvent {
  enum class Kind { offline, online, deploy_failed, deploy_succeeded };
  std::string device;
  Kind kind = Kind::offline;
  double t_s = 0;
  std::string detail;  // the deploy's error, the reason the device is unreachable
};

enum class TransitionKind { pending, firing, repeat, resolved };
const char* to_string(TransitionKind k);

struct Transition {
  TransitionKind kind = TransitionKind::firing;
  std::string rule, device;
  Metric metric = Metric::temperature_c;
  Severity severity = Severity::warning;
  std::optional<double> value;  // what was measured (seconds offline for device_offline; none for deploy_failed)
  std::optional<Op> op;
  std::optional<double> threshold;
  double at_s = 0;     // when this transition happened
  double since_s = 0;  // when the condition started holding
  int repeat = 0;      // 1, 2, ... for repeat transitions
  std::string detail;  // "rule removed", the deploy's error, ...

  // "firing" for firing and repeat, "resolved" for resolved, "pending" for pending: the status notifications carry.
  const char* status() const;
  // One line a person reads: "hot: temperature_c 41.2 °C > 35 on edge-1 (firing since 2026-01-02T03:04:05Z)".
  std::string summary() const;
};

nlohmann::json to_json(const Transition& t);
// Reads back what to_json wrote (the history the controller stores). Throws FieldError naming the field.
Transition transition_from_json(const nlohmann::json& j);
// The history as CSV (RFC 4180, header first): at, at_s, kind, status, rule, device, metric, unit, value, op,
// threshold, since_s, severity, repeat, detail.
std::string transitions_csv(const std::vector<Transition>& history);

// An alert that is pending or firing now.
struct ActiveAlert {
  std::string rule, device;
  bool firing = false;
  double since_s = 0;                     // condition first held
  std::optional<double> fired_at_s;       // when it fired
  std::optional<double> last_notified_s;  // firing or the last repeat
  std::optional<double> value;            // the last value that kept it active
  int repeats = 0;
  std::string detail;
};

nlohmann::json to_json(const ActiveAlert& a);

// The values of one stored telemetry sample; what the device does not measure stays empty and is not observed.
struct MetricSample {
  std::string device;
  double t_s = 0;
  std::optional<double> temperature_c, power_w, energy_per_inference_mj, cpu_ratio, memory_ratio, storage_ratio,
      inference_p50_s, energy_vs_prediction_factor;
};
std::vector<Observation> observations(const MetricSample& s);

// measured / predicted, or nullopt when either is missing or not positive (no factor can be formed).
std::optional<double> energy_vs_prediction_factor(std::optional<double> measured_mj,
                                                  std::optional<double> predicted_mj);

class AlertEvaluator {
 public:
  AlertEvaluator() = default;

  // Replaces the rules (names must be unique: FieldError "rules[i].name"). Alerts of a removed or disabled rule, or of
  // a rule whose condition changed (AlertRule::same_condition), are dropped; those that were firing come back as
  // resolved transitions with the reason in detail. Other alerts keep their state and pick up the new notify,
  // severity and repeat_s.
  std::vector<Transition> set_rules(std::vector<AlertRule> rules, double now_s);
  const std::vector<AlertRule>& rules() const { return rules_; }
  const AlertRule* rule(const std::string& name) const;

  // Groups and device types of the fleet, for group and device_type scopes. A device not listed matches only rules
  // scoped to it by name or to all devices.
  void set_devices(const std::vector<DeviceIdentity>& devices);

  std::vector<Transition> observe(const Observation& o);
  std::vector<Transition> observe(const std::vector<Observation>& list);
  std::vector<Transition> observe(const DeviceEvent& e);
  // What time alone decides: an offline device's for_s running out, repeats of event alerts.
  std::vector<Transition> tick(double now_s);

  std::vector<ActiveAlert> active() const;

  nlohmann::json state_json() const;
  // Brings back a state written by state_json. Entries of rules that no longer exist (or changed condition, when
  // the state carries the condition) are dropped. Throws FieldError("state...") on a malformed state, keeping the
  // current one.
  void restore_state(const nlohmann::json& state);

 private:
  struct State {
    bool firing = false;
    double since_s = 0;
    std::optional<double> fired_at_s, last_notified_s, value;
    int repeats = 0;
    std::string detail;
  };
  using Key = std::pair<std::string, std::string>;  // rule name, device

  bool in_scope(const AlertRule& r, const std::string& device) const;
  // The condition of r holds for device at t (value given or not): moves the state, appends transitions.
  void holds(const AlertRule& r, const std::string& device, double t_s, std::optional<double> value,
             const std::string& detail, std::vector<Transition>& out);
  // device_offline: the device is still offline at now_s (offline_since_s_ holds since when).
  void offline_holds(const AlertRule& r, const std::string& device, double now_s, const std::string& detail,
                     std::vector<Transition>& out);
  void clears(const AlertRule& r, const std::string& device, double t_s, std::optional<double> value,
              const std::string& detail, std::vector<Transition>& out);
  void advance(const AlertRule& r, const Key& key, State& s, double t_s, std::vector<Transition>& out);
  Transition make(TransitionKind kind, const AlertRule& r, const std::string& device, const State& s, double at_s,
                  std::optional<double> value) const;

  std::vector<AlertRule> rules_;
  std::map<std::string, DeviceIdentity> devices_;
  std::map<Key, State> states_;
  std::map<std::string, double> offline_since_s_;  // devices reported offline and not back yet
};

}  // namespace edgeml::alerts
