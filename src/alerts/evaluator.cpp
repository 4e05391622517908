#include "alerts/evaluator.hpp"

#include <set>

#include "common/csv.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/strings.hpp"

namespace edgeml::alerts {

namespace {

using nlohmann::json;

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// What a stored state was computed under; a state whose rule now has another condition is not brought back.
json condition_json(const AlertRule& r) {
  return {{"metric", to_string(r.metric)},
          {"op", r.op ? json(to_string(*r.op)) : json(nullptr)},
          {"threshold", opt(r.threshold)},
          {"for_s", r.for_s},
          {"scope", to_string(r.scope)}};
}

}  // namespace

const char* to_string(TransitionKind k) {
  switch (k) {
    case TransitionKind::pending:
      return "pending";
    case TransitionKind::firing:
      return "firing";
    case TransitionKind::repeat:
      return "repeat";
    case TransitionKind::resolved:
      return "resolved";
  }
  return "firing";
}

const char* Transition::status() const {
  switch (kind) {
    case TransitionKind::pending:
      return "pending";
    case TransitionKind::firing:
    case TransitionKind::repeat:
      return "firing";
    case TransitionKind::resolved:
      return "resolved";
  }
  return "firing";
}

std::string Transition::summary() const {
  const MetricInfo& m = info(metric);
  std::string s = rule + ": " + m.name;
  if (value) s += " " + format_number(*value, 3) + (std::string(m.unit).empty() ? "" : std::string(" ") + m.unit);
  if (op && threshold) s += std::string(" ") + to_string(*op) + " " + format_number(*threshold, 6);
  s += " on " + device + " (" + status();
  if (kind == TransitionKind::repeat) s += ", reminder " + std::to_string(repeat);
  s += kind == TransitionKind::resolved ? ", was active since " : " since ";
  s += format_utc(since_s) + ")";
  if (!detail.empty()) s += ": " + detail;
  return s;
}

json to_json(const Transition& t) {
  const MetricInfo& m = info(t.metric);
  return {{"kind", to_string(t.kind)},
          {"status", t.status()},
          {"rule", t.rule},
          {"device", t.device},
          {"metric", m.name},
          {"unit", m.unit},
          {"value", opt(t.value)},
          {"op", t.op ? json(to_string(*t.op)) : json(nullptr)},
          {"threshold", opt(t.threshold)},
          {"severity", to_string(t.severity)},
          {"at_s", t.at_s},
          {"at", format_utc(t.at_s)},
          {"since_s", t.since_s},
          {"repeat", t.repeat},
          {"detail", t.detail},
          {"summary", t.summary()}};
}

Transition transition_from_json(const json& j) {
  if (!j.is_object()) throw FieldError("transition", "a transition must be a JSON object");
  Transition t;
  std::string kind = require_string(j, "kind", 16);
  if (kind == "pending")
    t.kind = TransitionKind::pending;
  else if (kind == "firing")
    t.kind = TransitionKind::firing;
  else if (kind == "repeat")
    t.kind = TransitionKind::repeat;
  else if (kind == "resolved")
    t.kind = TransitionKind::resolved;
  else
    throw FieldError("kind", "'kind' must be pending, firing, repeat or resolved");
  t.rule = require_string(j, "rule", 128);
  t.device = require_string(j, "device", 128);
  t.metric = parse_metric(require_string(j, "metric", 64), "metric");
  t.value = optional_number(j, "value", {-1e300, 1e300});
  if (auto op = optional_string(j, "op", 2)) t.op = parse_op(*op, "op");
  t.threshold = optional_number(j, "threshold", {-1e300, 1e300});
  t.severity = parse_severity(require_string(j, "severity", 16), "severity");
  t.at_s = require_number(j, "at_s", {0, 1e12});
  t.since_s = require_number(j, "since_s", {0, 1e12});
  t.repeat = static_cast<int>(optional_number(j, "repeat", {0, 1e9}).value_or(0));
  t.detail = optional_string(j, "detail", 4000).value_or("");
  return t;
}

std::string transitions_csv(const std::vector<Transition>& history) {
  std::string out = "at,at_s,kind,status,rule,device,metric,unit,value,op,threshold,since_s,severity,repeat,detail\n";
  for (const auto& t : history) {
    const MetricInfo& m = info(t.metric);
    std::vector<std::string> cells = {format_utc(t.at_s),
                                      format_number(t.at_s, 3),
                                      to_string(t.kind),
                                      t.status(),
                                      t.rule,
                                      t.device,
                                      m.name,
                                      m.unit,
                                      t.value ? format_number(*t.value, 6) : "",
                                      t.op ? to_string(*t.op) : "",
                                      t.threshold ? format_number(*t.threshold, 6) : "",
                                      format_number(t.since_s, 3),
                                      to_string(t.severity),
                                      std::to_string(t.repeat),
                                      t.detail};
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_escape(cells[i]);
    out += "\n";
  }
  return out;
}

json to_json(const ActiveAlert& a) {
  return {{"rule", a.rule},
          {"device", a.device},
          {"status", a.firing ? "firing" : "pending"},
          {"since_s", a.since_s},
          {"fired_at_s", opt(a.fired_at_s)},
          {"last_notified_s", opt(a.last_notified_s)},
          {"value", opt(a.value)},
          {"repeats", a.repeats},
          {"detail", a.detail}};
}

std::vector<Observation> observations(const MetricSample& s) {
  std::vector<Observation> out;
  auto add = [&](Metric m, const std::optional<double>& v) {
    if (v) out.push_back({s.device, m, *v, s.t_s});
  };
  add(Metric::temperature_c, s.temperature_c);
  add(Metric::power_w, s.power_w);
  add(Metric::energy_per_inference_mj, s.energy_per_inference_mj);
  add(Metric::cpu_ratio, s.cpu_ratio);
  add(Metric::memory_ratio, s.memory_ratio);
  add(Metric::storage_ratio, s.storage_ratio);
  add(Metric::inference_p50_s, s.inference_p50_s);
  add(Metric::energy_vs_prediction_factor, s.energy_vs_prediction_factor);
  return out;
}

std::optional<double> energy_vs_prediction_factor(std::optional<double> measured_mj,
                                                  std::optional<double> predicted_mj) {
  if (!measured_mj || !predicted_mj || *measured_mj <= 0 || *predicted_mj <= 0) return std::nullopt;
  return *measured_mj / *predicted_mj;
}

const AlertRule* AlertEvaluator::rule(const std::string& name) const {
  for (const auto& r : rules_)
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<Transition> AlertEvaluator::set_rules(std::vector<AlertRule> rules, double now_s) {
  std::set<std::string> names;
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string where = "rules[" + std::to_string(i) + "]";
    if (!names.insert(rules[i].name).second)
      throw FieldError(where + ".name", "rule name '" + rules[i].name + "' is used twice");
    // Rules normally come from parse_rule; one built in code must still be complete.
    if (!info(rules[i].metric).is_event && (!rules[i].op || !rules[i].threshold))
      throw FieldError(where + ".threshold", where + " compares a value: it needs op and threshold");
  }
  std::vector<Transition> out;
  for (auto it = states_.begin(); it != states_.end();) {
    const AlertRule* old_rule = rule(it->first.first);
    const AlertRule* new_rule = nullptr;
    for (const auto& r : rules)
      if (r.name == it->first.first) new_rule = &r;
    std::string why = !new_rule                              ? "rule removed"
                      : !new_rule->enabled                   ? "rule disabled"
                      : !new_rule->same_condition(*old_rule) ? "rule changed"
                                                             : "";
    if (why.empty()) {
      ++it;
      continue;
    }
    if (it->second.firing) {
      Transition t = make(TransitionKind::resolved, *old_rule, it->first.second, it->second, now_s, it->second.value);
      t.detail = why;
      out.push_back(std::move(t));
    }
    it = states_.erase(it);
  }
  rules_ = std::move(rules);
  return out;
}

void AlertEvaluator::set_devices(const std::vector<DeviceIdentity>& devices) {
  devices_.clear();
  for (const auto& d : devices) devices_[d.name] = d;
}

bool AlertEvaluator::in_scope(const AlertRule& r, const std::string& device) const {
  auto it = devices_.find(device);
  return r.scope.matches(it != devices_.end() ? it->second : DeviceIdentity{device, "", ""});
}

Transition AlertEvaluator::make(TransitionKind kind, const AlertRule& r, const std::string& device, const State& s,
                                double at_s, std::optional<double> value) const {
  Transition t;
  t.kind = kind;
  t.rule = r.name;
  t.device = device;
  t.metric = r.metric;
  t.severity = r.severity;
  t.value = value;
  t.op = r.op;
  t.threshold = r.threshold;
  t.at_s = at_s;
  t.since_s = s.since_s;
  t.repeat = kind == TransitionKind::repeat ? s.repeats : 0;
  t.detail = s.detail;
  return t;
}

void AlertEvaluator::advance(const AlertRule& r, const Key& key, State& s, double t_s, std::vector<Transition>& out) {
  if (!s.firing) {
    if (t_s - s.since_s < r.for_s) return;
    s.firing = true;
    s.fired_at_s = s.last_notified_s = t_s;
    out.push_back(make(TransitionKind::firing, r, key.second, s, t_s, s.value));
    return;
  }
  if (r.repeat_s > 0 && s.last_notified_s && t_s - *s.last_notified_s >= r.repeat_s) {
    ++s.repeats;
    s.last_notified_s = t_s;
    out.push_back(make(TransitionKind::repeat, r, key.second, s, t_s, s.value));
  }
}

void AlertEvaluator::holds(const AlertRule& r, const std::string& device, double t_s, std::optional<double> value,
                           const std::string& detail, std::vector<Transition>& out) {
  Key key{r.name, device};
  auto it = states_.find(key);
  if (it == states_.end()) {
    State s;
    s.since_s = t_s;
    s.value = value;
    s.detail = detail;
    it = states_.emplace(key, s).first;
    if (r.for_s > 0) {
      out.push_back(make(TransitionKind::pending, r, device, it->second, t_s, value));
      return;
    }
  } else {
    it->second.value = value;
    if (!detail.empty()) it->second.detail = detail;
  }
  advance(r, key, it->second, t_s, out);
}

void AlertEvaluator::offline_holds(const AlertRule& r, const std::string& device, double now_s,
                                   const std::string& detail, std::vector<Transition>& out) {
  double since = offline_since_s_.at(device);
  Key key{r.name, device};
  if (states_.count(key)) {
    holds(r, device, now_s, now_s - since, detail, out);
    return;
  }
  // First seen now (a rule added or enabled while the device was already offline, or the first report): the alert
  // pends from when the device went offline, and fires now if that is for_s ago.
  holds(r, device, since, now_s - since, detail, out);
  auto it = states_.find(key);
  if (it != states_.end() && !it->second.firing) advance(r, key, it->second, now_s, out);
}

void AlertEvaluator::clears(const AlertRule& r, const std::string& device, double t_s, std::optional<double> value,
                            const std::string& detail, std::vector<Transition>& out) {
  auto it = states_.find({r.name, device});
  if (it == states_.end()) return;
  if (it->second.firing) {
    Transition t = make(TransitionKind::resolved, r, device, it->second, t_s, value);
    t.detail = detail;
    out.push_back(std::move(t));
  }
  states_.erase(it);
}

std::vector<Transition> AlertEvaluator::observe(const Observation& o) {
  if (info(o.metric).is_event)
    throw FieldError("metric", std::string(info(o.metric).name) + " is an event: pass a DeviceEvent");
  std::vector<Transition> out;
  // A value from the device means it is reachable again.
  if (offline_since_s_.count(o.device)) {
    auto back = observe(DeviceEvent{o.device, DeviceEvent::Kind::online, o.t_s, "telemetry received"});
    out.insert(out.end(), back.begin(), back.end());
  }
  for (const auto& r : rules_) {
    if (!r.enabled || r.metric != o.metric) continue;
    if (!in_scope(r, o.device)) {
      clears(r, o.device, o.t_s, o.value, "device left the rule's scope", out);
      continue;
    }
    if (compare(o.value, *r.op, *r.threshold))
      holds(r, o.device, o.t_s, o.value, "", out);
    else
      clears(r, o.device, o.t_s, o.value, "", out);
  }
  return out;
}

std::vector<Transition> AlertEvaluator::observe(const std::vector<Observation>& list) {
  std::vector<Transition> out;
  for (const auto& o : list) {
    auto t = observe(o);
    out.insert(out.end(), t.begin(), t.end());
  }
  return out;
}

std::vector<Transition> AlertEvaluator::observe(const DeviceEvent& e) {
  std::vector<Transition> out;
  using K = DeviceEvent::Kind;
  Metric metric = e.kind == K::offline || e.kind == K::online ? Metric::device_offline : Metric::deploy_failed;
  if (e.kind == K::offline) offline_since_s_.try_emplace(e.device, e.t_s);
  std::optional<double> offline_s;
  if (auto it = offline_since_s_.find(e.device); it != offline_since_s_.end()) offline_s = e.t_s - it->second;
  for (const auto& r : rules_) {
    if (!r.enabled || r.metric != metric || !in_scope(r, e.device)) continue;
    switch (e.kind) {
      case K::offline:
        offline_holds(r, e.device, e.t_s, e.detail, out);
        break;
      case K::online:
        clears(r, e.device, e.t_s, offline_s, e.detail, out);
        break;
      case K::deploy_failed:
        holds(r, e.device, e.t_s, std::nullopt, e.detail, out);
        break;
      case K::deploy_succeeded:
        clears(r, e.device, e.t_s, std::nullopt, e.detail, out);
        break;
    }
  }
  if (e.kind == K::online) offline_since_s_.erase(e.device);
  return out;
}

std::vector<Transition> AlertEvaluator::tick(double now_s) {
  std::vector<Transition> out;
  for (const auto& r : rules_) {
    if (!r.enabled) continue;
    if (r.metric == Metric::device_offline) {
      for (const auto& entry : offline_since_s_)
        if (in_scope(r, entry.first)) offline_holds(r, entry.first, now_s, "", out);
    } else if (r.metric == Metric::deploy_failed) {
      for (auto& [key, s] : states_)
        if (key.first == r.name) advance(r, key, s, now_s, out);
    }
  }
  return out;
}

std::vector<ActiveAlert> AlertEvaluator::active() const {
  std::vector<ActiveAlert> out;
  for (const auto& [key, s] : states_)
    out.push_back(
        {key.first, key.second, s.firing, s.since_s, s.fired_at_s, s.last_notified_s, s.value, s.repeats, s.detail});
  return out;
}

json AlertEvaluator::state_json() const {
  json alerts = json::array();
  for (const auto& [key, s] : states_) {
    const AlertRule* r = rule(key.first);
    if (!r) continue;
    alerts.push_back({{"rule", key.first},
                      {"device", key.second},
                      {"condition", condition_json(*r)},
                      {"firing", s.firing},
                      {"since_s", s.since_s},
                      {"fired_at_s", opt(s.fired_at_s)},
                      {"last_notified_s", opt(s.last_notified_s)},
                      {"value", opt(s.value)},
                      {"repeats", s.repeats},
                      {"detail", s.detail}});
  }
  return {{"version", 1}, {"alerts", alerts}, {"offline_since_s", offline_since_s_}};
}

void AlertEvaluator::restore_state(const json& state) {
  if (!state.is_object() || state.value("version", 0) != 1)
    throw FieldError("state.version", "alert state must be an object with \"version\": 1");
  std::map<Key, State> states;
  std::map<std::string, double> offline;
  const NumberRange any_time{0, 1e12};
  if (state.contains("alerts")) {
    const auto& list = state["alerts"];
    if (!list.is_array()) throw FieldError("state.alerts", "'state.alerts' must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      const json& a = list[i];
      std::string where = "state.alerts[" + std::to_string(i) + "]";
      try {
        Key key{require_string(a, "rule", 128), require_string(a, "device", 128)};
        State s;
        auto firing = optional_bool(a, "firing");
        if (!firing) throw FieldError("firing", "missing required field 'firing'");
        s.firing = *firing;
        s.since_s = require_number(a, "since_s", any_time);
        s.fired_at_s = optional_number(a, "fired_at_s", any_time);
        s.last_notified_s = optional_number(a, "last_notified_s", any_time);
        s.value = optional_number(a, "value", {-1e300, 1e300});
        s.repeats = static_cast<int>(optional_number(a, "repeats", {0, 1e9}).value_or(0));
        s.detail = optional_string(a, "detail", 4000).value_or("");
        if (s.firing && !s.last_notified_s) throw FieldError("last_notified_s", "a firing alert needs last_notified_s");
        const AlertRule* r = rule(key.first);
        if (!r || !r->enabled || (a.contains("condition") && a["condition"] != condition_json(*r))) continue;
        states[key] = s;
      } catch (const FieldError& e) {
        throw FieldError(where + "." + e.field(), where + ": " + e.what());
      }
    }
  }
  if (state.contains("offline_since_s")) {
    const auto& o = state["offline_since_s"];
    if (!o.is_object()) throw FieldError("state.offline_since_s", "'state.offline_since_s' must be an object");
    for (const auto& [device, t] : o.items()) {
      if (!t.is_number()) throw FieldError("state.offline_since_s." + device, "offline time must be a number");
      offline[device] = t.get<double>();
    }
  }
  states_ = std::move(states);
  offline_since_s_ = std::move(offline);
}

}  // namespace edgeml::alerts
