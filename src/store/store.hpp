#pragma once
// The controller's persistent state, one table per file: devices, deployments and their steps, telemetry, catalog
// rows measured at run time. Backed by
// SQLite in the state folder (the embedded default) or by PostgreSQL (--db postgresql://...; several controllers may
// share it). The schema is migrated at start (migrations.hpp).
#include <memory>
#include <string>

#include "store/alerts.hpp"
#include "store/catalog_rows.hpp"
#include "store/commands.hpp"
#include "store/deployments.hpp"
#include "store/devices.hpp"
#include "store/leases.hpp"
#include "store/migrations.hpp"
#include "store/sql.hpp"
#include "store/telemetry.hpp"

namespace edgeml::store {

class Store {
 public:
  // url_or_path: "postgresql://..." or a SQLite file path. Throws Error(unavailable) when it cannot be opened.
  explicit Store(const std::string& url_or_path);
  ~Store();

  Database& db() { return *db_; }
  DeviceStore& devices() { return devices_; }
  DeploymentStore& deployments() { return deployments_; }
  TelemetryStore& telemetry() { return telemetry_; }
  CatalogRowStore& catalog_rows() { return catalog_rows_; }
  CommandStore& commands() { return commands_; }
  LeaseStore& leases() { return leases_; }
  AlertStore& alerts() { return alerts_; }
  int schema_version() const { return version_; }
  std::string describe() const { return db_->describe(); }

 private:
  std::unique_ptr<Database> db_;
  int version_ = 0;
  DeviceStore devices_;
  DeploymentStore deployments_;
  TelemetryStore telemetry_;
  CatalogRowStore catalog_rows_;
  CommandStore commands_;
  LeaseStore leases_;
  AlertStore alerts_;
};

// Every table and every migration step, in one place.
const Schema& controller_schema();

}  // namespace edgeml::store
