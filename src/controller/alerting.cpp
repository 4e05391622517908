#include "controller/alerting.hpp"

#include "common/error.hpp"
#include "common/log.hpp"

namespace edgeml::controller {

DeviceIdentity device_identity(const store::Device& d) {
  return {d.name, d.group_name, d.device_type};  // group scopes match the device's group (schema 8)
}

AlertingSettings alerting_settings_from_env() {
  AlertingSettings s;
  s.smtp = alerts::smtp_settings_from_env(alerts::process_env);
  return s;
}

Alerting::Alerting(store::Store& db, const Clock& clock, AlertingSettings settings)
    : db_(db),
      clock_(clock),
      settings_(std::move(settings)),
      smtp_(settings_.smtp ? std::make_unique<alerts::SmtpNotifier>(*settings_.smtp, clock) : nullptr),
      notifiers_(&webhook_, smtp_.get()),
      queue_(notifiers_, clock, settings_.retry) {}

Alerting::~Alerting() { stop(); }

void Alerting::load() {
  std::lock_guard lock(mu_);
  double now = clock_.now_s();
  refresh_devices_locked(now);
  set_rules_locked(now);
  if (auto state = db_.alerts().evaluator_state()) {
    try {
      evaluator_.restore_state(nlohmann::json::parse(*state));
    } catch (const std::exception& e) {
      log::warn("controller", std::string("stored alert state dropped (alerts start over): ") + e.what());
    }
  }
  if (auto stored = db_.alerts().deliveries()) {
    try {
      queue_.restore(nlohmann::json::parse(*stored));
    } catch (const std::exception& e) {
      log::warn("controller", std::string("stored alert deliveries dropped: ") + e.what());
    }
  }
  log::info("controller", std::to_string(evaluator_.rules().size()) + " alert rule(s), " +
                              std::to_string(evaluator_.active().size()) + " active alert(s) restored");
}

void Alerting::start() {
  auto guarded = [](const char* what, auto fn) {
    return [what, fn] {
      try {
        fn();
      } catch (const std::exception& e) {
        log::error("controller", std::string(what) + " failed: " + e.what());
      }
    };
  };
  ticker_ = std::make_unique<PeriodicTask>("alert-evaluation", settings_.tick_interval_s,
                                           guarded("alert evaluation", [this] { tick(); }));
  deliverer_ = std::make_unique<PeriodicTask>("alert-delivery", settings_.delivery_interval_s,
                                              guarded("alert delivery", [this] { deliver_due(); }));
  ticker_->start();
  deliverer_->start();
}

void Alerting::stop() {
  if (ticker_) ticker_->stop();
  if (deliverer_) deliverer_->stop();
}

// --- rules ---

void Alerting::set_rules_locked(double now_s) {
  std::vector<alerts::AlertRule> rules;
  for (const auto& r : db_.alerts().rules()) {
    try {
      rules.push_back(alerts::parse_rule(nlohmann::json::parse(r.rule_json)));
    } catch (const std::exception& e) {
      // Only parse_rule's output is ever stored; a row that no longer parses (edited by hand) is skipped, loudly.
      log::error("controller", "stored alert rule '" + r.name + "' skipped: " + e.what());
    }
  }
  std::vector<alerts::AlertRule> before = evaluator_.rules();
  auto resolved = evaluator_.set_rules(std::move(rules), now_s);
  apply_locked(resolved, before);
}

alerts::AlertRule Alerting::add_rule(const nlohmann::json& body) {
  auto rule = alerts::parse_rule(body);
  std::lock_guard lock(mu_);
  double now = clock_.now_s();
  db_.alerts().add_rule(rule.name, alerts::to_json(rule).dump(), now);
  set_rules_locked(now);
  return rule;
}

alerts::AlertRule Alerting::replace_rule(const std::string& name, nlohmann::json body) {
  if (body.is_object() && !body.contains("name")) body["name"] = name;
  auto rule = alerts::parse_rule(body);
  if (rule.name != name)
    throw FieldError("name", "a rule's name is its address: '" + rule.name + "' differs from '" + name +
                                 "' in the path (delete and add to rename)");
  std::lock_guard lock(mu_);
  double now = clock_.now_s();
  if (!db_.alerts().update_rule(name, alerts::to_json(rule).dump(), now))
    throw NotFoundError("no alert rule named '" + name + "'", "name");
  set_rules_locked(now);
  return rule;
}

void Alerting::remove_rule(const std::string& name) {
  std::lock_guard lock(mu_);
  if (!db_.alerts().remove_rule(name)) throw NotFoundError("no alert rule named '" + name + "'", "name");
  set_rules_locked(clock_.now_s());
}

std::vector<alerts::AlertRule> Alerting::rules() {
  std::lock_guard lock(mu_);
  return evaluator_.rules();
}

alerts::AlertRule Alerting::rule(const std::string& name) {
  std::lock_guard lock(mu_);
  if (const auto* r = evaluator_.rule(name)) return *r;
  throw NotFoundError("no alert rule named '" + name + "'", "name");
}

std::vector<alerts::ActiveAlert> Alerting::active() {
  std::lock_guard lock(mu_);
  return evaluator_.active();
}

std::vector<alerts::Transition> Alerting::history(double from_s, double to_s, long long limit) {
  std::vector<alerts::Transition> out;
  for (const auto& h : db_.alerts().history(from_s, to_s, limit))
    out.push_back(alerts::transition_from_json(nlohmann::json::parse(h.transition_json)));
  return out;
}

// --- evaluation ---

void Alerting::apply_locked(const std::vector<alerts::Transition>& transitions,
                            const std::vector<alerts::AlertRule>& rules) {
  if (transitions.empty()) return;
  std::vector<store::AlertHistoryRecord> rows;
  bool enqueued = false;
  for (const auto& t : transitions) {
    rows.push_back({0, t.at_s, t.rule, t.device, alerts::to_string(t.kind), alerts::to_json(t).dump()});
    const alerts::AlertRule* rule = evaluator_.rule(t.rule);
    for (const auto& r : rules)
      if (!rule && r.name == t.rule) rule = &r;
    if (rule && t.kind != alerts::TransitionKind::pending) enqueued |= !queue_.enqueue(*rule, t).empty();
    log::info("controller", std::string("alert ") + alerts::to_string(t.kind) + ": " + t.summary());
  }
  double now = clock_.now_s();
  db_.alerts().add_history(rows);
  db_.alerts().save_evaluator_state(evaluator_.state_json().dump(), now);
  if (enqueued) save_queue();
}

void Alerting::refresh_devices_locked(double now_s) {
  devices_.clear();
  std::vector<DeviceIdentity> identities;
  for (const auto& d : db_.devices().all()) {
    devices_[d.id] = d;
    identities.push_back(device_identity(d));
  }
  evaluator_.set_devices(identities);
  devices_read_at_ = now_s;
}

const std::string* Alerting::device_name_locked(long long device_id) {
  auto it = devices_.find(device_id);
  if (it == devices_.end()) {  // registered since the last read
    refresh_devices_locked(clock_.now_s());
    it = devices_.find(device_id);
    if (it == devices_.end()) return nullptr;
  }
  return &it->second.name;
}

std::optional<double> Alerting::predicted_mj_locked(long long device_id, const std::string& model) {
  if (model.empty()) return std::nullopt;
  auto it = predictions_.find(device_id);
  if (it == predictions_.end()) {
    Prediction p;
    if (auto rec = db_.deployments().last_succeeded(device_id)) p = {rec->model_name, rec->predicted_per_inference_mj};
    it = predictions_.emplace(device_id, p).first;
  }
  // The prediction is for the model that deployment installed; another active model has none here.
  if (it->second.model != model) return std::nullopt;
  return it->second.per_inference_mj;
}

void Alerting::samples_stored(const std::vector<store::TelemetrySample>& samples) {
  std::lock_guard lock(mu_);
  std::vector<alerts::Transition> out;
  for (const auto& s : samples) {
    const std::string* name = device_name_locked(s.device_id);
    if (!name) continue;  // deleted meanwhile
    alerts::MetricSample m;
    m.device = *name;
    m.t_s = s.t;
    m.temperature_c = s.temp_c;
    m.power_w = s.power_w;
    m.cpu_ratio = s.cpu_ratio;
    m.memory_ratio = s.memory_ratio;
    m.storage_ratio = s.storage_ratio;
    m.inference_p50_s = s.inference_p50_s;
    if (s.energy_per_inference_j) m.energy_per_inference_mj = *s.energy_per_inference_j * 1000.0;
    m.energy_vs_prediction_factor = alerts::energy_vs_prediction_factor(
        m.energy_per_inference_mj, predicted_mj_locked(s.device_id, s.active_model));
    auto ts = evaluator_.observe(alerts::observations(m));
    out.insert(out.end(), ts.begin(), ts.end());
  }
  apply_locked(out, evaluator_.rules());
}

void Alerting::presence_changed(long long device_id, bool online, double at_s, const std::string& detail) {
  std::lock_guard lock(mu_);
  const std::string* name = device_name_locked(device_id);
  if (!name) return;
  using K = alerts::DeviceEvent::Kind;
  apply_locked(evaluator_.observe(alerts::DeviceEvent{*name, online ? K::online : K::offline, at_s, detail}),
               evaluator_.rules());
}

void Alerting::deployment_finished(const store::DeploymentRecord& r) {
  std::lock_guard lock(mu_);
  predictions_.erase(r.device_id);  // read again with the next sample
  using K = alerts::DeviceEvent::Kind;
  std::optional<K> kind;
  if (r.status == "succeeded") kind = K::deploy_succeeded;
  if (r.status == "failed" || r.status == "interrupted") kind = K::deploy_failed;
  if (!kind) return;  // rejected by the energy gate or skipped: nothing went wrong on the device
  std::string detail = r.kind + " of " + r.model_name + (r.error.empty() ? "" : ": " + r.error);
  double at = r.finished_at.value_or(clock_.now_s());
  apply_locked(evaluator_.observe(alerts::DeviceEvent{r.device_name, *kind, at, detail}), evaluator_.rules());
}

void Alerting::tick() {
  std::lock_guard lock(mu_);
  double now = clock_.now_s();
  if (now - devices_read_at_ >= settings_.device_refresh_s) refresh_devices_locked(now);
  apply_locked(evaluator_.tick(now), evaluator_.rules());
}

// --- delivery ---

void Alerting::deliver_due() {
  auto next = queue_.next_due_s();
  if (!next || *next > clock_.now_s()) return;
  if (!queue_.run_due().empty()) save_queue();
}

void Alerting::save_queue() {
  std::lock_guard lock(queue_store_mu_);
  db_.alerts().save_deliveries(queue_.persisted().dump(), clock_.now_s());
}

}  // namespace edgeml::controller
