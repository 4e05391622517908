#include "store/alerts.hpp"

#include "common/error.hpp"

namespace edgeml::store {

const Table<AlertRuleRecord>& alert_rules_table() {
  using R = AlertRuleRecord;
  static const Table<R> t("alert_rules", {id_column(&R::id), column("name", &R::name, "NOT NULL UNIQUE"),
                                          column("rule_json", &R::rule_json, "NOT NULL"),
                                          column("created_at", &R::created_at), column("updated_at", &R::updated_at)});
  return t;
}

const Table<AlertHistoryRecord>& alert_history_table() {
  using H = AlertHistoryRecord;
  static const Table<H> t(
      "alert_history",
      {id_column(&H::id), column("at_s", &H::at_s, "NOT NULL"), column("rule", &H::rule), column("device", &H::device),
       column("kind", &H::kind), column("transition_json", &H::transition_json, "NOT NULL")});
  return t;
}

namespace {
Table<AlertDocument> document_table(const std::string& name) {
  using D = AlertDocument;
  return Table<D>(name, {column("name", &D::key, "NOT NULL PRIMARY KEY"), column("json", &D::json, "NOT NULL"),
                         column("updated_at", &D::updated_at)});
}
}  // namespace

const Table<AlertDocument>& alert_state_table() {
  static const Table<AlertDocument> t = document_table("alert_state");
  return t;
}

const Table<AlertDocument>& alert_deliveries_table() {
  static const Table<AlertDocument> t = document_table("alert_deliveries");
  return t;
}

std::vector<AlertRuleRecord> AlertStore::rules() {
  const auto& t = alert_rules_table();
  return db_.read<std::vector<AlertRuleRecord>>(
      [&](Connection& c) { return t.read_all(c.query(t.select("ORDER BY name"))); });
}

std::optional<AlertRuleRecord> AlertStore::rule(const std::string& name) {
  const auto& t = alert_rules_table();
  return db_.read<std::optional<AlertRuleRecord>>([&](Connection& c) -> std::optional<AlertRuleRecord> {
    auto rows = c.query(t.select("WHERE name = ?"), {name});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

void AlertStore::add_rule(const std::string& name, const std::string& rule_json, double now_s) {
  const auto& t = alert_rules_table();
  AlertRuleRecord r{0, name, rule_json, now_s, now_s};
  try {
    db_.with([&](Connection& c) { c.query(t.insert_sql(), t.insert_params(r)); });
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    throw Error(ErrorKind::conflict, "an alert rule named '" + name + "' exists already (PUT edits it)", "name");
  }
}

bool AlertStore::update_rule(const std::string& name, const std::string& rule_json, double now_s) {
  return db_.read<long long>([&](Connection& c) {
    return c.execute("UPDATE alert_rules SET rule_json = ?, updated_at = ? WHERE name = ?", {rule_json, now_s, name});
  }) > 0;
}

bool AlertStore::remove_rule(const std::string& name) {
  return db_.read<long long>(
             [&](Connection& c) { return c.execute("DELETE FROM alert_rules WHERE name = ?", {name}); }) > 0;
}

void AlertStore::add_history(const std::vector<AlertHistoryRecord>& transitions) {
  if (transitions.empty()) return;
  const auto& t = alert_history_table();
  std::vector<Params> rows;
  for (const auto& h : transitions) rows.push_back(t.insert_params(h));
  // RETURNING id makes the insert a query; without the id the statement is a plain insert.
  std::string sql = t.insert_sql();
  sql = sql.substr(0, sql.rfind(" RETURNING id"));
  db_.transaction([&](Connection& c) { c.execute_many(sql, rows); });
}

std::vector<AlertHistoryRecord> AlertStore::history(double from_s, double to_s, long long limit) {
  const auto& t = alert_history_table();
  return db_.read<std::vector<AlertHistoryRecord>>([&](Connection& c) {
    return t.read_all(
        c.query(t.select("WHERE at_s >= ? AND at_s < ? ORDER BY at_s, id LIMIT ?"), {from_s, to_s, limit}));
  });
}

std::optional<std::string> AlertStore::document(const Table<AlertDocument>& t, const std::string& key) {
  return db_.read<std::optional<std::string>>([&](Connection& c) -> std::optional<std::string> {
    auto rows = c.query(t.select("WHERE name = ?"), {key});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]).json;
  });
}

void AlertStore::save_document(const Table<AlertDocument>& t, const std::string& key, const std::string& json,
                               double now_s) {
  // An upsert both engines speak (SQLite >= 3.24, PostgreSQL >= 9.5).
  std::string sql = t.insert_sql(
      "ON CONFLICT (name) DO UPDATE SET json = excluded.json, updated_at = "
      "excluded.updated_at");
  db_.with([&](Connection& c) { c.execute(sql, t.insert_params(AlertDocument{key, json, now_s})); });
}

std::optional<std::string> AlertStore::evaluator_state() { return document(alert_state_table(), "evaluator"); }
void AlertStore::save_evaluator_state(const std::string& json, double now_s) {
  save_document(alert_state_table(), "evaluator", json, now_s);
}
std::optional<std::string> AlertStore::deliveries() { return document(alert_deliveries_table(), "queue"); }
void AlertStore::save_deliveries(const std::string& json, double now_s) {
  save_document(alert_deliveries_table(), "queue", json, now_s);
}

}  // namespace edgeml::store
