#pragma once
// What the controller's parts that store fleet data tell whoever watches it (the alerting part), right after it is
// stored: telemetry samples (the LAN poller and the MQTT ingest alike), a device going offline or coming back, and a
// deployment's end. Calls come from those parts' own threads; an observer keeps them short (no network I/O).
#include <string>
#include <vector>

#include "store/records.hpp"

namespace edgeml::controller {

class FleetObserver {
 public:
  virtual ~FleetObserver() = default;
  // Samples just stored (duplicates the store refused are not passed on).
  virtual void samples_stored(const std::vector<store::TelemetrySample>& samples) = 0;
  // The device became unreachable (detail says why) or is reachable again.
  virtual void presence_changed(long long device_id, bool online, double at_s, const std::string& detail) = 0;
  // A deployment or rollback reached its final state (succeeded, failed, rejected, interrupted, skipped).
  virtual void deployment_finished(const store::DeploymentRecord& record) = 0;
};

}  // namespace edgeml::controller
