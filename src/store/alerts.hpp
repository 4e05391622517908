#pragma once
// The alert tables (schema version 6): the rules as edited through /api/alerts/rules (each one's JSON as
// alerts::to_json(rule) writes it, name unique), the history of transitions (pending, firing, repeat, resolved, each
// as alerts::to_json(transition) writes it), and two one-row documents the controller rewrites as they change: the
// evaluator's state (alert_state) and the delivery queue's persisted() form (alert_deliveries), so a restarted
// controller neither announces a firing alert again nor forgets a notification still due.
#include <optional>
#include <string>
#include <vector>

#include "store/table.hpp"

namespace edgeml::store {

struct AlertRuleRecord {
  long long id = 0;
  std::string name;
  std::string rule_json;
  double created_at = 0, updated_at = 0;
};

struct AlertHistoryRecord {
  long long id = 0;
  double at_s = 0;
  std::string rule, device, kind;  // kind: pending | firing | repeat | resolved
  std::string transition_json;
};

// One JSON document under a key (alert_state: "evaluator"; alert_deliveries: "queue").
struct AlertDocument {
  std::string key;
  std::string json;
  double updated_at = 0;
};

const Table<AlertRuleRecord>& alert_rules_table();
const Table<AlertHistoryRecord>& alert_history_table();
const Table<AlertDocument>& alert_state_table();
const Table<AlertDocument>& alert_deliveries_table();

class AlertStore {
 public:
  explicit AlertStore(Database& db) : db_(db) {}

  std::vector<AlertRuleRecord> rules();  // by name
  std::optional<AlertRuleRecord> rule(const std::string& name);
  // Error(conflict, field "name") when a rule of that name exists.
  void add_rule(const std::string& name, const std::string& rule_json, double now_s);
  // Returns false when there is no such rule.
  bool update_rule(const std::string& name, const std::string& rule_json, double now_s);
  bool remove_rule(const std::string& name);

  void add_history(const std::vector<AlertHistoryRecord>& transitions);
  // Transitions with from_s <= at_s < to_s, oldest first, at most `limit`.
  std::vector<AlertHistoryRecord> history(double from_s, double to_s, long long limit);

  std::optional<std::string> evaluator_state();
  void save_evaluator_state(const std::string& json, double now_s);
  std::optional<std::string> deliveries();
  void save_deliveries(const std::string& json, double now_s);

 private:
  std::optional<std::string> document(const Table<AlertDocument>& t, const std::string& key);
  void save_document(const Table<AlertDocument>& t, const std::string& key, const std::string& json, double now_s);
  Database& db_;
};

}  // namespace edgeml::store
