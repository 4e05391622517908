#include "store/store.hpp"

#include "store/auth_store.hpp"
#include "store/migrations.hpp"

namespace edgeml::store {

const Schema& controller_schema() {
  static const Schema schema = [] {
    Schema s;
    s.create = {
        [](Dialect d) { return devices_table().create_sql(d); },
        [](Dialect d) { return deployments_table().create_sql(d); },
        [](Dialect d) { return deployment_steps_table().create_sql(d); },
        [](Dialect d) { return telemetry_table().create_sql(d); },
        [](Dialect) {
          return std::string("CREATE INDEX IF NOT EXISTS telemetry_by_device_time ON telemetry(device_id, t)");
        },
        [](Dialect d) {  // version 4 (security): tokens, users, sessions, audit log, enrollments
          std::string sql;
          for (const auto& statement : auth_tables_sql(d)) sql += statement + ";\n";
          return sql;
        },
    };
    s.migrations = {
        {2, "telemetry keeps storage use and the inference loop's rate and latency",
         [](Connection& c) {
           for (const char* col : {"storage_ratio", "inference_rate", "inference_p50_s"})
             add_column_if_missing(c, "telemetry", telemetry_table().column_ddl(col, c.dialect()));
         }},
        {4, "who may do what: API tokens, users and sessions, the audit log, device enrollments",
         [](Connection& c) {
           for (const auto& statement : auth_tables_sql(c.dialect())) c.exec(statement);
         }},
    };
    return s;
  }();
  return schema;
}

Store::Store(const std::string& url_or_path)
    : db_(open_database(url_or_path)), devices_(*db_), deployments_(*db_), telemetry_(*db_) {
  version_ = migrate(*db_, controller_schema());
}

Store::~Store() = default;

}  // namespace edgeml::store
