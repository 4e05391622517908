#include "agent/battery_policy.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

namespace {

using nlohmann::json;

// Reads a nested field with the error naming its full path ("rules[1].battery_above").
template <class F>
auto at(const std::string& where, F read) {
  try {
    return read();
  } catch (const FieldError& e) {
    std::string field = where + "." + e.field();
    std::string message = e.what();
    auto quoted = "'" + e.field() + "'";
    if (auto p = message.find(quoted); p != std::string::npos) message.replace(p, quoted.size(), "'" + field + "'");
    throw FieldError(field, message);
  }
}

PolicyRule parse_rule(const json& j, const std::string& where) {
  if (!j.is_object())
    throw FieldError(where, "'" + where + "' must be an object like {\"battery_above\": 60, \"model\": \"large\"}");
  reject_unknown_fields(j, {"battery_above", "on_battery", "model", "pause"}, where + ".");
  PolicyRule r;
  r.battery_above = at(where, [&] { return optional_number(j, "battery_above", {0, 100}); });
  r.on_battery = at(where, [&] { return optional_bool(j, "on_battery"); });
  auto model = at(where, [&] { return optional_string(j, "model", 128); });
  auto pause = at(where, [&] { return optional_bool(j, "pause"); });
  if (pause && !*pause) throw FieldError(where + ".pause", "'" + where + ".pause' may only be true (or left out)");
  if (model.has_value() == pause.has_value())
    throw FieldError(where + ".model", "'" + where + "' needs exactly one of \"model\" and \"pause\": true");
  if (model) {
    validate_name(*model, where + ".model");
    r.model = *model;
  }
  r.pause = pause.has_value();
  return r;
}

// Whether earlier rule j makes rule i unreachable: j holds whenever i does.
bool shadows(const PolicyRule& j, const PolicyRule& i) {
  bool status_covered = !j.on_battery || (i.on_battery && *i.on_battery == *j.on_battery);
  bool charge_covered = !j.battery_above || (i.battery_above && *j.battery_above <= *i.battery_above);
  return status_covered && charge_covered;
}

std::string percent_text(double p) { return format_number(p, 1) + "%"; }

std::string status_text(std::optional<bool> on_battery) {
  if (!on_battery) return "supply unknown";
  return *on_battery ? "on battery" : "on external power";
}

std::string rule_text(const PolicyRule& r, size_t i) {
  return "rule " + std::to_string(i + 1) + " (" + (r.pause ? std::string("pause") : r.model) + ")";
}

}  // namespace

double PolicyBudget::limit_w() const { return power_w ? *power_w : *energy_wh_per_day / 24.0; }

const char* to_string(Switch::Kind k) {
  switch (k) {
    case Switch::Kind::activate:
      return "activate";
    case Switch::Kind::pause:
      return "pause";
    case Switch::Kind::resume:
      return "resume";
  }
  return "activate";
}

BatteryPolicy parse_battery_policy(const json& j) {
  if (!j.is_object()) throw FieldError("policy", "a battery policy must be a JSON object with \"rules\"");
  reject_unknown_fields(j, {"rules", "hysteresis_pct", "variants", "budget", "min_interval_s"});
  BatteryPolicy p;
  if (!j.contains("rules") || !j["rules"].is_array() || j["rules"].empty() || j["rules"].size() > 20)
    throw FieldError("rules", "'rules' must be a list of 1 to 20 rules");
  for (size_t i = 0; i < j["rules"].size(); ++i) {
    std::string where = "rules[" + std::to_string(i) + "]";
    p.rules.push_back(parse_rule(j["rules"][i], where));
    for (size_t k = 0; k < i; ++k)
      if (shadows(p.rules[k], p.rules[i]))
        throw FieldError(where, "'" + where + "' can never apply: rules[" + std::to_string(k) +
                                    "] holds whenever it does (list higher thresholds first)");
  }
  p.hysteresis_pct = optional_number(j, "hysteresis_pct", {0, 50}).value_or(5);
  p.min_interval_s = optional_number(j, "min_interval_s", {0, 86400}).value_or(0);
  if (j.contains("variants")) {
    const json& v = j["variants"];
    if (!v.is_array() || v.size() > 20) throw FieldError("variants", "'variants' must be a list of at most 20");
    for (size_t i = 0; i < v.size(); ++i) {
      std::string where = "variants[" + std::to_string(i) + "]";
      if (!v[i].is_object())
        throw FieldError(where, "'" + where + "' must be {\"model\": ..., \"energy_per_inference_mj\": ...}");
      reject_unknown_fields(v[i], {"model", "energy_per_inference_mj"}, where + ".");
      PolicyVariant pv;
      pv.model = at(where, [&] { return require_string(v[i], "model", 128); });
      validate_name(pv.model, where + ".model");
      pv.catalog_energy_per_inference_mj = at(where, [&] {
        return optional_number(v[i], "energy_per_inference_mj", {0, 1e9, true});
      });
      for (const auto& other : p.variants)
        if (other.model == pv.model) throw FieldError(where + ".model", "variant '" + pv.model + "' is listed twice");
      p.variants.push_back(pv);
    }
  }
  if (j.contains("budget")) {
    const json& b = j["budget"];
    if (!b.is_object()) throw FieldError("budget", "'budget' must be {\"power_w\": W} or {\"energy_wh_per_day\": Wh}");
    reject_unknown_fields(b, {"power_w", "energy_wh_per_day"}, "budget.");
    PolicyBudget budget;
    budget.power_w = at("budget", [&] { return optional_number(b, "power_w", {0, 1000, true}); });
    budget.energy_wh_per_day = at("budget", [&] { return optional_number(b, "energy_wh_per_day", {0, 24000, true}); });
    if (budget.power_w.has_value() == budget.energy_wh_per_day.has_value())
      throw FieldError("budget", "'budget' needs exactly one of power_w and energy_wh_per_day");
    // Every model a rule names must have a figure before it has run, or the budget could not be checked for it.
    for (size_t i = 0; i < p.rules.size(); ++i) {
      if (p.rules[i].pause) continue;
      bool known = false;
      for (const auto& v : p.variants)
        known = known || (v.model == p.rules[i].model && v.catalog_energy_per_inference_mj);
      if (!known)
        throw FieldError("variants", "with a budget, 'variants' must give energy_per_inference_mj for '" +
                                         p.rules[i].model + "' (rules[" + std::to_string(i) +
                                         "]), from the catalog "
                                         "or the predictor, until the agent has measured it");
    }
    p.budget = budget;
  }
  return p;
}

BatteryPolicy load_battery_policy(const std::string& path) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const std::exception& e) {
    throw FieldError("policy", "cannot read the battery policy " + path + ": " + e.what());
  }
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw FieldError("policy", "the battery policy " + path + " is not JSON: " + e.what());
  }
  return parse_battery_policy(j);
}

json to_json(const BatteryPolicy& p) {
  json rules = json::array();
  for (const auto& r : p.rules) {
    json x = json::object();
    if (r.battery_above) x["battery_above"] = *r.battery_above;
    if (r.on_battery) x["on_battery"] = *r.on_battery;
    if (r.pause)
      x["pause"] = true;
    else
      x["model"] = r.model;
    rules.push_back(x);
  }
  json out{{"rules", rules}, {"hysteresis_pct", p.hysteresis_pct}, {"min_interval_s", p.min_interval_s}};
  if (!p.variants.empty()) {
    json v = json::array();
    for (const auto& x : p.variants) {
      json e{{"model", x.model}};
      if (x.catalog_energy_per_inference_mj) e["energy_per_inference_mj"] = *x.catalog_energy_per_inference_mj;
      v.push_back(e);
    }
    out["variants"] = v;
  }
  if (p.budget) {
    if (p.budget->power_w)
      out["budget"] = {{"power_w", *p.budget->power_w}};
    else
      out["budget"] = {{"energy_wh_per_day", *p.budget->energy_wh_per_day}};
  }
  return out;
}

json to_json(const PolicyEvent& e) {
  return {{"at_s", e.at_s},
          {"event", e.event},
          {"model", e.model},
          {"reason", e.reason},
          {"battery_percent", e.battery_percent ? json(*e.battery_percent) : json(nullptr)},
          {"on_battery", e.on_battery ? json(*e.on_battery) : json(nullptr)}};
}

BatteryPolicyDriver::BatteryPolicyDriver(BatteryPolicy policy, double failure_retry_s)
    : policy_(std::move(policy)), failure_retry_s_(failure_retry_s) {}

bool BatteryPolicyDriver::rule_available(size_t i, const AgentFacts& facts, double now_s) const {
  const PolicyRule& r = policy_.rules[i];
  if (r.pause) return true;
  if (std::find(facts.installed.begin(), facts.installed.end(), r.model) == facts.installed.end()) return false;
  auto failed = failed_until_s_.find(r.model);
  return failed == failed_until_s_.end() || now_s >= failed->second;
}

bool BatteryPolicyDriver::rule_conditions_hold(size_t i, double percent, std::optional<bool> on_battery,
                                               double margin) const {
  const PolicyRule& r = policy_.rules[i];
  if (r.on_battery && (!on_battery || *on_battery != *r.on_battery)) return false;
  return !r.battery_above || percent > *r.battery_above + margin;
}

BatteryPolicyDriver::Wanted BatteryPolicyDriver::by_battery(double percent, std::optional<bool> on_battery,
                                                            const AgentFacts& facts, double now_s) {
  const size_t n = policy_.rules.size();
  std::optional<size_t> raw, last_available;
  for (size_t i = 0; i < n; ++i) {
    if (!rule_available(i, facts, now_s)) continue;
    last_available = i;
    if (!raw && rule_conditions_hold(i, percent, on_battery, 0)) raw = i;
  }
  if (!last_available) return {};  // no rule can be applied: the caller waits
  std::string state = "battery " + percent_text(percent) + " (" + status_text(on_battery) + ")";
  auto wanted = [&](size_t i, const std::string& why) {
    const PolicyRule& r = policy_.rules[i];
    return Wanted{r.pause, r.model, static_cast<int>(i), state + " " + why + ": " + rule_text(r, i)};
  };
  if (!raw) return wanted(*last_available, "below every rule's threshold, so the last rule");
  auto threshold_text = [&](size_t i) {
    const PolicyRule& r = policy_.rules[i];
    return r.battery_above ? percent_text(*r.battery_above) : std::string("any charge");
  };
  bool current_usable = rule_ && *rule_ >= 0 && static_cast<size_t>(*rule_) < n &&
                        rule_available(static_cast<size_t>(*rule_), facts, now_s);
  if (!current_usable) return wanted(*raw, "above " + threshold_text(*raw));
  size_t cur = static_cast<size_t>(*rule_);
  if (*raw == cur) return wanted(cur, "above " + threshold_text(cur));
  if (*raw > cur) {
    // The rule in force no longer holds (charge at or below its threshold, or the supply changed): step down now.
    const PolicyRule& r = policy_.rules[cur];
    std::string why = r.on_battery && (!on_battery || *on_battery != *r.on_battery)
                          ? "no longer " + status_text(r.on_battery)
                          : "at or below " + threshold_text(cur);
    return wanted(*raw, why + ", so");
  }
  // A hungrier rule holds: take it only with the hysteresis to spare (or if the rule in force stopped holding).
  if (!rule_conditions_hold(cur, percent, on_battery, 0)) return wanted(*raw, "above " + threshold_text(*raw));
  for (size_t j = *raw; j < cur; ++j)
    if (rule_available(j, facts, now_s) && rule_conditions_hold(j, percent, on_battery, policy_.hysteresis_pct))
      return wanted(j,
                    "above " + threshold_text(j) + " + " + format_number(policy_.hysteresis_pct, 1) + "% hysteresis");
  return wanted(cur, "not above " + threshold_text(*raw) + " + " + format_number(policy_.hysteresis_pct, 1) +
                         "% hysteresis yet, so still");
}

std::optional<double> BatteryPolicyDriver::estimated_power_w(const std::string& model, const AgentFacts& facts) const {
  std::optional<double> mj;
  if (auto m = measured_mj_.find(model); m != measured_mj_.end()) mj = m->second;
  for (const auto& v : policy_.variants)
    if (!mj && v.model == model) mj = v.catalog_energy_per_inference_mj;
  if (!mj) return std::nullopt;
  return facts.idle_power_w.value_or(0) + *mj / 1000.0 * std::max(0.0, facts.inference_hz);
}

BatteryPolicyDriver::Wanted BatteryPolicyDriver::within_budget(Wanted w, const AgentFacts& facts, double now_s) const {
  if (!policy_.budget || w.pause) return w;
  double limit = policy_.budget->limit_w();
  std::string limit_text = policy_.budget->power_w ? format_number(limit, 3) + " W"
                                                   : format_number(*policy_.budget->energy_wh_per_day, 3) +
                                                         " Wh/day (" + format_number(limit, 3) + " W)";
  auto ranked = ranked_variants();
  auto start = std::find_if(ranked.begin(), ranked.end(), [&](const RankedVariant& v) { return v.model == w.model; });
  std::vector<std::string> candidates;
  if (start == ranked.end())
    candidates.push_back(w.model);  // not among the variants: only a measurement can vouch for it
  for (auto it = start; it != ranked.end(); ++it) candidates.push_back(it->model);
  for (const auto& model : candidates) {
    bool installed = std::find(facts.installed.begin(), facts.installed.end(), model) != facts.installed.end();
    auto failed = failed_until_s_.find(model);
    if (!installed || (failed != failed_until_s_.end() && now_s < failed->second)) continue;
    auto est = estimated_power_w(model, facts);
    if (!est) continue;
    // The model running now stays while it fits; another must fit with the hysteresis to spare.
    double allowed = model == facts.active_model ? limit : limit * (1 - policy_.hysteresis_pct / 100.0);
    if (*est > allowed) continue;
    if (model != w.model)
      w.reason += "; " + w.model + " is over the budget of " + limit_text + ", " + model + " fits (" +
                  format_number(*est, 3) + " W estimated)";
    else
      w.reason += "; within the budget of " + limit_text + " (" + format_number(*est, 3) + " W estimated)";
    w.model = model;
    return w;
  }
  w.pause = true;
  w.reason += "; no installed variant fits the budget of " + limit_text + ", so inference pauses";
  w.model.clear();
  return w;
}

std::vector<RankedVariant> BatteryPolicyDriver::ranked_variants() const {
  std::vector<RankedVariant> out;
  for (const auto& v : policy_.variants) {
    RankedVariant r{v.model, std::nullopt, "unknown"};
    if (auto m = measured_mj_.find(v.model); m != measured_mj_.end()) {
      r.energy_per_inference_mj = m->second;
      r.source = "measured";
    } else if (v.catalog_energy_per_inference_mj) {
      r.energy_per_inference_mj = v.catalog_energy_per_inference_mj;
      r.source = "catalog";
    }
    out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const RankedVariant& a, const RankedVariant& b) {
    if (a.energy_per_inference_mj.has_value() != b.energy_per_inference_mj.has_value())
      return a.energy_per_inference_mj.has_value();
    return a.energy_per_inference_mj && *a.energy_per_inference_mj > *b.energy_per_inference_mj;
  });
  return out;
}

void BatteryPolicyDriver::record(double now_s, const std::string& event, const std::string& model,
                                 const std::string& reason) {
  events_.push_back({now_s, event, model, reason, last_percent_, last_on_battery_});
  if (events_.size() > kMaxEvents) events_.erase(events_.begin());
}

std::optional<Switch> BatteryPolicyDriver::decide(double now_s, const telemetry::Snapshot& snapshot,
                                                  const AgentFacts& facts) {
  if (!facts.active_model.empty() && facts.active_energy_per_inference_mj)
    measured_mj_[facts.active_model] = *facts.active_energy_per_inference_mj;
  const auto& ps = snapshot.power_supply;
  if (!ps.available) {
    waiting_ = "battery state unavailable: " + ps.reason;
    return std::nullopt;
  }
  // Several batteries (some laptops): the mean of those that report a charge.
  double sum = 0;
  int count = 0;
  for (const auto& b : ps.batteries)
    if (b.capacity_percent) {
      sum += *b.capacity_percent;
      ++count;
    }
  if (!count) {
    waiting_ = "no battery reports its charge (capacity)";
    return std::nullopt;
  }
  double percent = sum / count;
  last_percent_ = percent;
  last_on_battery_ = ps.on_battery;
  Wanted w = by_battery(percent, ps.on_battery, facts, now_s);
  if (w.rule < 0) {
    waiting_ = "no rule can apply: none of the rules' models is installed";
    return std::nullopt;
  }
  w = within_budget(w, facts, now_s);
  waiting_.clear();
  last_reason_ = w.reason;

  Wanted current{facts.paused, facts.active_model, rule_.value_or(-1), ""};
  std::optional<Switch> s;
  if (w.pause && !facts.paused)
    s = Switch{Switch::Kind::pause, "", w.reason, w.rule};
  else if (!w.pause && w.model != facts.active_model)
    s = Switch{Switch::Kind::activate, w.model, w.reason, w.rule};
  else if (!w.pause && facts.paused)
    s = Switch{Switch::Kind::resume, w.model, w.reason, w.rule};
  if (!s) {
    rule_ = w.rule;
    return std::nullopt;
  }
  bool step_up = rule_ && w.rule < *rule_;
  if (step_up && last_switch_s_ && now_s - *last_switch_s_ < policy_.min_interval_s) {
    waiting_ = "step up to " + rule_text(policy_.rules[static_cast<size_t>(w.rule)], static_cast<size_t>(w.rule)) +
               " waits for min_interval_s (" + format_number(policy_.min_interval_s) + " s) since the last switch";
    return std::nullopt;
  }
  before_last_ = current;
  rule_ = w.rule;
  last_switch_s_ = now_s;
  record(now_s, to_string(s->kind), s->model, s->reason);
  return s;
}

void BatteryPolicyDriver::failed(const Switch& s, double now_s, const std::string& reason) {
  failed_until_s_[s.model] = now_s + failure_retry_s_;
  if (before_last_) rule_ = before_last_->rule >= 0 ? std::optional<int>(before_last_->rule) : std::nullopt;
  record(now_s, "failed", s.model, std::string(to_string(s.kind)) + " failed: " + reason);
}

json BatteryPolicyDriver::status_json() const {
  json ranked = json::array();
  for (const auto& v : ranked_variants())
    ranked.push_back(
        {{"model", v.model},
         {"energy_per_inference_mj", v.energy_per_inference_mj ? json(*v.energy_per_inference_mj) : json(nullptr)},
         {"source", v.source}});
  json events = json::array();
  for (const auto& e : events_) events.push_back(to_json(e));
  json rule = nullptr;
  if (rule_ && *rule_ >= 0) rule = {{"index", *rule_}, {"rule", to_json(policy_)["rules"][*rule_]}};
  return {{"policy", to_json(policy_)},
          {"rule_in_force", rule},
          {"battery_percent", last_percent_ ? json(*last_percent_) : json(nullptr)},
          {"on_battery", last_on_battery_ ? json(*last_on_battery_) : json(nullptr)},
          {"reason", last_reason_},
          {"waiting", waiting_},
          {"variants_by_energy", ranked},
          {"budget_w", policy_.budget ? json(policy_.budget->limit_w()) : json(nullptr)},
          {"events", events}};
}

}  // namespace edgeml::agent
