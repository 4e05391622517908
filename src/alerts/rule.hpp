#pragma once
// An alert rule as stored, listed and edited through /api/alerts/rules: what to watch (metric, op, threshold), where
// (scope), for how long before it fires (for_s), how often to remind while it holds (repeat_s), how bad it is
// (severity) and whom to tell (notify). parse_rule is the one place a rule's JSON is checked; every error names the
// field ("threshold", "notify[1].email").
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "alerts/metric.hpp"
#include "common/fleet_scope.hpp"

namespace edgeml::alerts {

enum class Op { greater, greater_equal, less, less_equal };
enum class Severity { info, warning, critical };

const char* to_string(Op op);  // ">", ">=", "<", "<="
const char* to_string(Severity s);
bool compare(double value, Op op, double threshold);
// Throw FieldError(field) listing the accepted values.
Op parse_op(const std::string& text, const std::string& field);
Severity parse_severity(const std::string& text, const std::string& field);

struct NotifyTarget {
  enum class Kind { webhook, email };
  // Body of a webhook: "default" carries our fields plus Slack's "text" and a Teams MessageCard (one body that
  // Slack incoming webhooks, Teams connectors and plain receivers all take); "teams_workflow" wraps an Adaptive Card
  // as Teams Workflows ("When a Teams webhook request is received") expect. They are separate because Slack also
  // reads a top-level "attachments" field, which the Workflows wrapper needs.
  enum class Format { default_, teams_workflow };

  Kind kind = Kind::webhook;
  std::string url;  // webhook: http:// or https://
  Format format = Format::default_;
  std::vector<std::string> to;  // email: recipients

  // What delivery records show: the webhook's scheme, host and port (its path often holds a secret token, as Slack's
  // does) or the recipients.
  std::string describe() const;
  bool operator==(const NotifyTarget&) const = default;
};

struct AlertRule {
  std::string name;
  Metric metric = Metric::temperature_c;
  std::optional<Op> op;             // value metrics only
  std::optional<double> threshold;  // value metrics only, in the metric's unit
  double for_s = 0;                 // the condition must hold this long before the alert fires
  double repeat_s = 0;              // remind every repeat_s while it holds; 0 = notify once
  Severity severity = Severity::warning;
  FleetScope scope;  // default: every device
  std::vector<NotifyTarget> notify;
  bool enabled = true;
  std::string description;

  // Same condition (metric, op, threshold, for_s, scope): an edit that changes only notify, severity, repeat_s or the
  // description keeps the alert's state; any other edit starts it over.
  bool same_condition(const AlertRule& other) const;
  bool operator==(const AlertRule&) const = default;
};

// Limits of the fields, also quoted in error messages.
inline constexpr double kMaxForS = 7 * 86400.0;
inline constexpr double kMaxRepeatS = 30 * 86400.0;
inline constexpr size_t kMaxTargets = 10;

// Throws FieldError naming the field. Unknown fields are refused (a typo must not silently drop a condition).
AlertRule parse_rule(const nlohmann::json& body);
nlohmann::json to_json(const AlertRule& rule);
// One notify entry as the rule's JSON holds it ({"webhook": URL, "format": ...} or {"email": [...]}), and back.
nlohmann::json to_json(const NotifyTarget& target);
NotifyTarget parse_notify_target(const nlohmann::json& entry, const std::string& field);
// A list of rules (as stored): every rule parsed, names unique (FieldError "rules[i].name" otherwise).
std::vector<AlertRule> parse_rules(const nlohmann::json& list);
nlohmann::json to_json(const std::vector<AlertRule>& rules);

}  // namespace edgeml::alerts
