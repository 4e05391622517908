#pragma once
// The controller's alerting: owns the rules' evaluator and the notification queue and keeps both in the store.
//   rules       <- /api/alerts/rules (stored as alerts::to_json(rule); every edit re-applies the whole set)
//   evaluation  <- every stored telemetry sample (LAN poller and MQTT ingest: FleetObserver), devices going offline
//                  and back, deployment outcomes; tick() once per round for what time alone decides
//   transitions -> alert_history (each one), the delivery queue (firing, repeat, resolved), alert_state (the
//                  evaluator's state after each change, so a restart does not announce a firing alert again)
//   deliveries  -> a worker runs what is due (retries with backoff); the queue is stored after each change
// No HTTP here: routes_alerts.cpp is the thin layer over these functions.
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "alerts/delivery_queue.hpp"
#include "alerts/evaluator.hpp"
#include "alerts/smtp_notifier.hpp"
#include "alerts/webhook_notifier.hpp"
#include "common/clock.hpp"
#include "common/fleet_scope.hpp"
#include "common/periodic.hpp"
#include "controller/fleet_observer.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

struct AlertingSettings {
  double tick_interval_s = 1;         // evaluation of what time alone decides (offline for_s, event repeats)
  double delivery_interval_s = 0.25;  // how often the delivery worker looks for a due notification
  double device_refresh_s = 30;       // names, groups and types of the fleet re-read at most this often
  alerts::RetryPolicy retry;
  std::optional<alerts::SmtpSettings> smtp;  // alerts::smtp_settings_from_env; none = email targets fail saying so
};

// Defaults, with email from EDGEML_SMTP_* (alerts::smtp_settings_from_env; a wrong value stops the start with the
// variable's name).
AlertingSettings alerting_settings_from_env();

// The group a device belongs to, for group scopes.
DeviceIdentity device_identity(const store::Device& d);

class Alerting final : public FleetObserver {
 public:
  Alerting(store::Store& db, const Clock& clock, AlertingSettings settings = {});
  ~Alerting() override;

  // Rules, evaluator state and pending deliveries from the store. A stored state that no longer parses is logged
  // and dropped (the alerts start over), never a reason not to start.
  void load();
  void start();
  void stop();

  // Rules. add: Error(conflict, "name") when taken; replace/remove: NotFoundError("name") when unknown. Bodies are
  // checked by alerts::parse_rule (FieldError naming the field).
  alerts::AlertRule add_rule(const nlohmann::json& body);
  alerts::AlertRule replace_rule(const std::string& name, nlohmann::json body);
  void remove_rule(const std::string& name);
  std::vector<alerts::AlertRule> rules();
  alerts::AlertRule rule(const std::string& name);  // NotFoundError("name")

  std::vector<alerts::ActiveAlert> active();
  std::vector<alerts::Delivery> deliveries() const { return queue_.deliveries(); }
  std::vector<alerts::Transition> history(double from_s, double to_s, long long limit);

  // FleetObserver.
  void samples_stored(const std::vector<store::TelemetrySample>& samples) override;
  void presence_changed(long long device_id, bool online, double at_s, const std::string& detail) override;
  void deployment_finished(const store::DeploymentRecord& record) override;

  // One evaluation round at the clock's now (the periodic task's step; tests may call it).
  void tick();
  // Attempts the deliveries that are due and stores the queue (the delivery worker's step).
  void deliver_due();

 private:
  struct Prediction {
    std::string model;
    std::optional<double> per_inference_mj;
  };
  // Stores, enqueues and persists transitions; `rules` are the rules they were made under (a removed rule's too).
  void apply_locked(const std::vector<alerts::Transition>& transitions, const std::vector<alerts::AlertRule>& rules);
  void set_rules_locked(double now_s);
  void refresh_devices_locked(double now_s);
  const std::string* device_name_locked(long long device_id);
  std::optional<double> predicted_mj_locked(long long device_id, const std::string& model);
  void save_queue();

  store::Store& db_;
  const Clock& clock_;
  AlertingSettings settings_;
  alerts::WebhookNotifier webhook_;
  std::unique_ptr<alerts::SmtpNotifier> smtp_;
  alerts::NotifierSet notifiers_;
  alerts::DeliveryQueue queue_;

  std::mutex mu_;  // the evaluator, the device cache and the predictions
  alerts::AlertEvaluator evaluator_;
  std::map<long long, store::Device> devices_;
  double devices_read_at_ = -1e300;
  std::map<long long, Prediction> predictions_;  // per device: its latest successful deployment's figure

  std::mutex queue_store_mu_;  // one writer of the stored queue at a time
  std::unique_ptr<PeriodicTask> ticker_, deliverer_;
};

}  // namespace edgeml::controller
