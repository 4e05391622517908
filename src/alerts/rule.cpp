#include "alerts/rule.hpp"

#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"

namespace edgeml::alerts {

namespace {

using nlohmann::json;

// The values a threshold of each metric can take, in its unit. Outside these a rule could never fire (a ratio of 2)
// or is a unit mistake (a temperature in kelvin, a power in milliwatts), so it is refused.
NumberRange threshold_range(Metric m) {
  switch (m) {
    case Metric::temperature_c:
      return {-100, 300};
    case Metric::power_w:
      return {0, 10'000};
    case Metric::energy_per_inference_mj:
      return {0, 1e9};
    case Metric::cpu_ratio:
    case Metric::memory_ratio:
    case Metric::storage_ratio:
      return {0, 1};
    case Metric::inference_p50_s:
      return {0, 3600};
    case Metric::energy_vs_prediction_factor:
      return {0, 1000, true};
    case Metric::device_offline:
    case Metric::deploy_failed:
      break;
  }
  return {};
}

void check_rule_name(const std::string& name) {
  if (name.empty() || name.size() > 128) throw FieldError("name", "'name' must be 1 to 128 characters");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) throw FieldError("name", "'name' must not contain control characters");
  if (trim(name) != name) throw FieldError("name", "'name' must not start or end with spaces");
}

// http(s)://host[:port][/path]: no spaces or control characters, no user:password@ (credentials in a URL end up in
// logs; a webhook's secret belongs in its path, as Slack and Teams put it).
void check_webhook_url(const std::string& url, const std::string& field) {
  if (url.size() > 2048) throw FieldError(field, "'" + field + "' is longer than 2048 characters");
  size_t scheme_end = url.rfind("http://", 0) == 0 ? 7 : url.rfind("https://", 0) == 0 ? 8 : 0;
  if (!scheme_end) throw FieldError(field, "'" + field + "' must start with http:// or https://");
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f)
      throw FieldError(field, "'" + field + "' must not contain spaces or control characters");
  std::string authority = url.substr(scheme_end, url.find('/', scheme_end) - scheme_end);
  if (authority.empty() || authority.front() == ':') throw FieldError(field, "'" + field + "' has no host");
  if (authority.find('@') != std::string::npos)
    throw FieldError(field, "'" + field + "' must not carry user:password@ (put the secret in the path)");
}

void check_email(const std::string& addr, const std::string& field) {
  if (addr.empty() || addr.size() > 254) throw FieldError(field, "'" + field + "' must be 1 to 254 characters");
  auto at = addr.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= addr.size() || addr.find('@', at + 1) != std::string::npos)
    throw FieldError(field, "'" + field + "' must be one address of the form name@domain, got '" + addr + "'");
  for (unsigned char c : addr)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\')
      throw FieldError(field, "'" + field + "' must be a bare address (no spaces, quotes, <>, commas)");
}

NotifyTarget parse_target(const json& j, const std::string& field) {
  std::string prefix = field + ".";
  if (!j.is_object())
    throw FieldError(field, "each notify entry must be an object: {\"webhook\": URL} or {\"email\": ADDRESS}");
  NotifyTarget t;
  bool has_webhook = j.contains("webhook"), has_email = j.contains("email");
  if (has_webhook == has_email)
    throw FieldError(prefix + "webhook", "each notify entry needs exactly one of 'webhook' and 'email'");
  if (has_webhook) {
    reject_unknown_fields(j, {"webhook", "format"}, prefix);
    t.kind = NotifyTarget::Kind::webhook;
    if (!j["webhook"].is_string()) throw FieldError(prefix + "webhook", "'" + prefix + "webhook' must be a URL string");
    t.url = j["webhook"].get<std::string>();
    check_webhook_url(t.url, prefix + "webhook");
    if (j.contains("format")) {
      const auto& f = j["format"];
      if (f == "default")
        t.format = NotifyTarget::Format::default_;
      else if (f == "teams_workflow")
        t.format = NotifyTarget::Format::teams_workflow;
      else
        throw FieldError(prefix + "format", "'" + prefix + "format' must be \"default\" or \"teams_workflow\"");
    }
    return t;
  }
  reject_unknown_fields(j, {"email"}, prefix);
  t.kind = NotifyTarget::Kind::email;
  const auto& e = j["email"];
  if (e.is_string()) {
    t.to.push_back(e.get<std::string>());
  } else if (e.is_array() && !e.empty() && e.size() <= 20) {
    for (const auto& a : e) {
      if (!a.is_string()) throw FieldError(prefix + "email", "'" + prefix + "email' must hold address strings");
      t.to.push_back(a.get<std::string>());
    }
  } else {
    throw FieldError(prefix + "email", "'" + prefix + "email' must be an address or a list of 1 to 20 addresses");
  }
  for (const auto& a : t.to) check_email(a, prefix + "email");
  return t;
}

FleetScope parse_scope(const json& body) {
  int given = 0;
  FleetScope s;
  for (auto [key, kind] : {std::pair{"device", FleetScope::Kind::device}, std::pair{"group", FleetScope::Kind::group},
                           std::pair{"device_type", FleetScope::Kind::device_type}}) {
    if (auto v = optional_string(body, key, 128)) {
      ++given;
      validate_name(*v, key);
      s = {kind, *v};
    }
  }
  if (auto v = optional_string(body, "scope", 300)) {
    ++given;
    s = parse_fleet_scope(*v, "scope");
  }
  if (given > 1)
    throw FieldError("scope", "give at most one of 'device', 'group', 'device_type' and 'scope' (none = all devices)");
  return s;
}

}  // namespace

const char* to_string(Op op) {
  switch (op) {
    case Op::greater:
      return ">";
    case Op::greater_equal:
      return ">=";
    case Op::less:
      return "<";
    case Op::less_equal:
      return "<=";
  }
  return ">";
}

const char* to_string(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::critical:
      return "critical";
  }
  return "warning";
}

Op parse_op(const std::string& s, const std::string& field) {
  if (s == ">") return Op::greater;
  if (s == ">=") return Op::greater_equal;
  if (s == "<") return Op::less;
  if (s == "<=") return Op::less_equal;
  throw FieldError(field, "'" + field + "' must be one of >, >=, <, <=, got '" + s + "'");
}

Severity parse_severity(const std::string& s, const std::string& field) {
  if (s == "info") return Severity::info;
  if (s == "warning") return Severity::warning;
  if (s == "critical") return Severity::critical;
  throw FieldError(field, "'" + field + "' must be info, warning or critical, got '" + s + "'");
}

bool compare(double value, Op op, double threshold) {
  switch (op) {
    case Op::greater:
      return value > threshold;
    case Op::greater_equal:
      return value >= threshold;
    case Op::less:
      return value < threshold;
    case Op::less_equal:
      return value <= threshold;
  }
  return false;
}

std::string NotifyTarget::describe() const {
  if (kind == Kind::email) {
    std::string out = "email ";
    for (size_t i = 0; i < to.size(); ++i) out += (i ? ", " : "") + to[i];
    return out;
  }
  size_t scheme_end = url.find("://") + 3;
  size_t path = url.find('/', scheme_end);
  return "webhook " + url.substr(0, path) + (path == std::string::npos ? "" : "/…");
}

bool AlertRule::same_condition(const AlertRule& o) const {
  return metric == o.metric && op == o.op && threshold == o.threshold && for_s == o.for_s && scope == o.scope;
}

AlertRule parse_rule(const json& body) {
  if (!body.is_object()) throw FieldError("body", "an alert rule must be a JSON object");
  reject_unknown_fields(body, {"name", "metric", "op", "threshold", "for_s", "repeat_s", "severity", "device", "group",
                               "device_type", "scope", "notify", "enabled", "description", "unit"});
  AlertRule r;
  r.name = require_string(body, "name", 128);
  check_rule_name(r.name);
  r.metric = parse_metric(require_string(body, "metric", 64), "metric");
  const MetricInfo& m = info(r.metric);
  // "unit" is what to_json writes beside the metric; taken back only when it agrees, so a rule read back is the same
  // rule and a threshold written in another unit is caught.
  if (auto unit = optional_string(body, "unit", 32); unit && *unit != m.unit)
    throw FieldError("unit", std::string("'unit' of ") + m.name + " is '" + m.unit + "', got '" + *unit + "'");
  if (m.is_event) {
    // Events have no value to compare: the event itself is the condition.
    if (body.contains("op") && !body["op"].is_null())
      throw FieldError("op", std::string("'op' does not apply to ") + m.name + " (an event, not a value)");
    if (body.contains("threshold") && !body["threshold"].is_null())
      throw FieldError("threshold", std::string("'threshold' does not apply to ") + m.name +
                                        (r.metric == Metric::device_offline ? "; use for_s for how long" : ""));
  } else {
    r.op = parse_op(require_string(body, "op", 2), "op");
    NumberRange range = threshold_range(r.metric);
    try {
      r.threshold = require_number(body, "threshold", range);
    } catch (const FieldError& e) {
      throw FieldError("threshold", std::string(e.what()) + " (" + m.name + " is in " + m.unit + ")");
    }
  }
  r.for_s = optional_number(body, "for_s", {0, kMaxForS}).value_or(0);
  if (r.metric == Metric::deploy_failed && r.for_s != 0)
    throw FieldError("for_s", "'for_s' must be 0 for deploy_failed: a failed deployment is an instant event");
  r.repeat_s = optional_number(body, "repeat_s", {0, kMaxRepeatS}).value_or(0);
  if (r.repeat_s > 0 && r.repeat_s < 1)
    throw FieldError("repeat_s", "'repeat_s' must be 0 (notify once) or at least 1 second");
  if (auto s = optional_string(body, "severity", 16)) r.severity = parse_severity(*s, "severity");
  r.scope = parse_scope(body);
  if (body.contains("notify") && !body["notify"].is_null()) {
    const auto& n = body["notify"];
    if (!n.is_array()) throw FieldError("notify", "'notify' must be a list of {\"webhook\": URL} or {\"email\": ...}");
    if (n.size() > kMaxTargets)
      throw FieldError("notify", "'notify' holds at most " + std::to_string(kMaxTargets) + " targets");
    for (size_t i = 0; i < n.size(); ++i) r.notify.push_back(parse_target(n[i], "notify[" + std::to_string(i) + "]"));
  }
  r.enabled = optional_bool(body, "enabled").value_or(true);
  r.description = optional_string(body, "description", 2000).value_or("");
  return r;
}

json to_json(const AlertRule& r) {
  const MetricInfo& m = info(r.metric);
  json j{{"name", r.name},
         {"metric", m.name},
         {"unit", m.unit},
         {"for_s", r.for_s},
         {"repeat_s", r.repeat_s},
         {"severity", to_string(r.severity)},
         {"scope", to_string(r.scope)},
         {"enabled", r.enabled},
         {"description", r.description}};
  if (r.op) j["op"] = to_string(*r.op);
  if (r.threshold) j["threshold"] = *r.threshold;
  json notify = json::array();
  for (const auto& t : r.notify) notify.push_back(to_json(t));
  j["notify"] = notify;
  return j;
}

json to_json(const NotifyTarget& t) {
  if (t.kind == NotifyTarget::Kind::webhook)
    return {{"webhook", t.url}, {"format", t.format == NotifyTarget::Format::default_ ? "default" : "teams_workflow"}};
  return {{"email", t.to}};
}

NotifyTarget parse_notify_target(const json& entry, const std::string& field) { return parse_target(entry, field); }

std::vector<AlertRule> parse_rules(const json& list) {
  if (!list.is_array()) throw FieldError("rules", "'rules' must be a list of alert rules");
  std::vector<AlertRule> out;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = "rules[" + std::to_string(i) + "]";
    try {
      out.push_back(parse_rule(list[i]));
    } catch (const FieldError& e) {
      throw FieldError(where + "." + e.field(), where + ": " + e.what());
    }
    for (size_t k = 0; k + 1 < out.size(); ++k)
      if (out[k].name == out.back().name)
        throw FieldError(where + ".name", "rule name '" + out.back().name + "' is used twice");
  }
  return out;
}

json to_json(const std::vector<AlertRule>& rules) {
  json out = json::array();
  for (const auto& r : rules) out.push_back(to_json(r));
  return out;
}

}  // namespace edgeml::alerts
