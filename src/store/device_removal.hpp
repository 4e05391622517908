#pragma once
// Deleting a registered device, in one transaction.
//   keep history (the default): the device row stays, marked deleted and renamed "<name> (deleted #<id>)", so its
//     name can be registered again while its deployments and telemetry keep pointing at an id no one else gets
//     (SQLite hands out the highest free rowid again, which would give a new device the old one's history);
//   purge: the device, its telemetry samples, its deployments and their steps are deleted.
// A device with a deployment still running is not deleted (Error conflict): the deployer is still writing its record.
#include "store/sql.hpp"

namespace edgeml::store {

struct DeviceRemoval {
  bool purged = false;
  long long telemetry_samples = 0;  // deleted (purge) or kept
  long long deployments = 0;        // deleted (purge) or kept
};

// NotFoundError("id") when no such device (or already deleted).
DeviceRemoval remove_device(Database& db, long long id, bool purge, double now);

}  // namespace edgeml::store
