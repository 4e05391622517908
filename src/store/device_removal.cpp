#include "store/device_removal.hpp"

#include "common/error.hpp"

namespace edgeml::store {

DeviceRemoval remove_device(Database& db, long long id, bool purge, double now) {
  DeviceRemoval out;
  out.purged = purge;
  db.transaction([&](Connection& c) {
    auto device = c.query("SELECT name FROM devices WHERE id = ? AND deleted_at IS NULL", {id});
    if (device.empty()) throw NotFoundError("no registered device " + std::to_string(id), "id");
    auto running = c.query("SELECT id FROM deployments WHERE device_id = ? AND status = 'running' LIMIT 1", {id});
    if (!running.empty())
      throw Error(ErrorKind::conflict,
                  "device '" + device[0].text(0) + "' has a deployment still running (#" +
                      std::to_string(running[0].integer(0)) + "): delete it once that deployment has finished",
                  "id");
    out.telemetry_samples = c.query("SELECT COUNT(*) FROM telemetry WHERE device_id = ?", {id}).at(0).integer(0);
    out.deployments = c.query("SELECT COUNT(*) FROM deployments WHERE device_id = ?", {id}).at(0).integer(0);
    if (!purge) {
      c.execute(
          "UPDATE devices SET deleted_at = ?, online = 0, name = name || ' (deleted #' || CAST(id AS TEXT) || ')' "
          "WHERE id = ?",
          {now, id});
      // Commands queued for an MQTT-mode agent are not sent to a deleted device when it comes back.
      c.execute("UPDATE commands SET state = 'expired', updated_at = ? WHERE device_id = ? AND state = 'pending'",
                {now, id});
      return;
    }
    c.execute("DELETE FROM deployment_steps WHERE deployment_id IN (SELECT id FROM deployments WHERE device_id = ?)",
              {id});
    c.execute("DELETE FROM deployments WHERE device_id = ?", {id});
    c.execute("DELETE FROM telemetry WHERE device_id = ?", {id});
    c.execute("DELETE FROM commands WHERE device_id = ?", {id});
    c.execute("DELETE FROM devices WHERE id = ?", {id});
  });
  return out;
}

}  // namespace edgeml::store
