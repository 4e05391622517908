#include "store/store.hpp"

#include "store/abtests.hpp"
#include "store/auth_store.hpp"
#include "store/migrations.hpp"

namespace edgeml::store {

namespace {
// De-duplication of MQTT telemetry (LAN samples have a null seq, which a UNIQUE index never matches).
constexpr const char* kTelemetrySeqIndex =
    "CREATE UNIQUE INDEX IF NOT EXISTS telemetry_by_stream_seq ON telemetry(device_id, stream, seq)";
// Retention deletes and downsamples by time across all devices: on PostgreSQL a BRIN index on t (rows arrive in time
// order, so it stays a few pages and costs inserts nothing) spares the every-10-minutes scan of a fleet's table.
// SQLite keeps its plain scan (one site's table).
std::string telemetry_time_index(Dialect d) {
  return d == Dialect::postgres ? "CREATE INDEX IF NOT EXISTS telemetry_brin_t ON telemetry USING BRIN (t)"
                                : "SELECT 1";
}
constexpr const char* kCommandsByDeviceIndex =
    "CREATE INDEX IF NOT EXISTS commands_by_device_state ON commands(device_id, state)";
constexpr const char* kAlertHistoryByTimeIndex =
    "CREATE INDEX IF NOT EXISTS alert_history_by_time ON alert_history(at_s)";
}  // namespace

const Schema& controller_schema() {
  static const Schema schema = [] {
    Schema s;
    s.create = {
        [](Dialect d) { return devices_table().create_sql(d); },
        [](Dialect d) { return deployments_table().create_sql(d); },
        [](Dialect d) { return deployment_steps_table().create_sql(d); },
        [](Dialect d) { return telemetry_table().create_sql(d); },
        [](Dialect d) { return catalog_rows_table().create_sql(d); },
        [](Dialect) {
          return std::string("CREATE INDEX IF NOT EXISTS telemetry_by_device_time ON telemetry(device_id, t)");
        },
        [](Dialect) { return std::string(kTelemetrySeqIndex); },
        [](Dialect d) { return commands_table().create_sql(d); },
        [](Dialect) { return std::string(kCommandsByDeviceIndex); },
        [](Dialect d) {  // version 4 (security): tokens, users, sessions, audit log, enrollments
          std::string sql;
          for (const auto& statement : auth_tables_sql(d)) sql += statement + ";\n";
          return sql;
        },
        [](Dialect d) { return leases_table().create_sql(d); },
        [](Dialect d) { return telemetry_time_index(d); },
        [](Dialect d) { return alert_rules_table().create_sql(d); },
        [](Dialect d) { return alert_history_table().create_sql(d); },
        [](Dialect) { return std::string(kAlertHistoryByTimeIndex); },
        [](Dialect d) { return alert_state_table().create_sql(d); },
        [](Dialect d) { return alert_deliveries_table().create_sql(d); },
        [](Dialect d) { return abtests_table().create_sql(d); },
    };
    s.migrations = {
        {2, "telemetry keeps storage use and the inference loop's rate and latency",
         [](Connection& c) {
           for (const char* col : {"storage_ratio", "inference_rate", "inference_p50_s"})
             add_column_if_missing(c, "telemetry", telemetry_table().column_ddl(col, c.dialect()));
         }},
        {3,
         "MQTT transport: devices.transport, telemetry stream/seq (unique per device), deployments.failure_kind, "
         "commands",
         [](Connection& c) {
           add_column_if_missing(c, "devices", devices_table().column_ddl("transport", c.dialect()));
           for (const char* col : {"stream", "seq"})
             add_column_if_missing(c, "telemetry", telemetry_table().column_ddl(col, c.dialect()));
           c.exec(kTelemetrySeqIndex);
           add_column_if_missing(c, "deployments", deployments_table().column_ddl("failure_kind", c.dialect()));
           c.exec(commands_table().create_sql(c.dialect()));
           c.exec(kCommandsByDeviceIndex);
         }},
        {4, "who may do what: API tokens, users and sessions, the audit log, device enrollments",
         [](Connection& c) {
           for (const auto& statement : auth_tables_sql(c.dialect())) c.exec(statement);
         }},
        {5, "catalog rows measured at run time; the agent's energy definitions in telemetry; artifact weights",
         [](Connection& c) {
           c.exec(catalog_rows_table().create_sql(c.dialect()));
           for (const char* col : {"idle_power_w", "duty_cycle", "energy_per_hour_mwh"})
             add_column_if_missing(c, "telemetry", telemetry_table().column_ddl(col, c.dialect()));
           add_column_if_missing(c, "deployments", deployments_table().column_ddl("weights", c.dialect()));
         }},
        {6,
         "alerts: alert_rules, alert_history, alert_state (the evaluator's), alert_deliveries (the queue's); abtests",
         [](Connection& c) {
           c.exec(alert_rules_table().create_sql(c.dialect()));
           c.exec(alert_history_table().create_sql(c.dialect()));
           c.exec(kAlertHistoryByTimeIndex);
           c.exec(alert_state_table().create_sql(c.dialect()));
           c.exec(alert_deliveries_table().create_sql(c.dialect()));
           c.exec(abtests_table().create_sql(c.dialect()));
         }},
        {7, "several controllers: leases, deployments.owner/sent_at/base_url/max_failures, telemetry time index",
         [](Connection& c) {
           c.exec(leases_table().create_sql(c.dialect()));
           for (const char* col : {"owner", "sent_at", "base_url", "max_failures"})
             add_column_if_missing(c, "deployments", deployments_table().column_ddl(col, c.dialect()));
           c.exec(telemetry_time_index(c.dialect()));
         }},
        {8, "devices keep tags, a group and when they were deleted (a deleted device keeps its history unless purged)",
         [](Connection& c) {
           for (const char* col : {"tags", "group_name", "deleted_at"})
             add_column_if_missing(c, "devices", devices_table().column_ddl(col, c.dialect()));
         }},
    };
    return s;
  }();
  return schema;
}

Store::Store(const std::string& url_or_path)
    : db_(open_database(url_or_path)),
      devices_(*db_),
      deployments_(*db_),
      telemetry_(*db_),
      catalog_rows_(*db_),
      commands_(*db_),
      leases_(*db_),
      alerts_(*db_) {
  version_ = migrate(*db_, controller_schema());
}

Store::~Store() = default;

}  // namespace edgeml::store
