#pragma once
// One simulator run in this process: start the fleet, let it sample for `seconds`, stop sampling, wait (up to
// drain_s) until everything is sent and confirmed, then shut every device down cleanly. Progress every second.
#include <functional>
#include <nlohmann/json.hpp>

#include "fleetsim/fleet.hpp"

namespace edgeml::fleetsim {

struct RunSettings {
  double seconds = 10;
  double drain_s = 30;
  // Called about once a second with the time since start and the fleet's totals.
  std::function<void(double elapsed_s, const FleetTotals&)> progress;
  // Called after the drain with the totals; may wait further (the consumer catching up) before the devices close.
  std::function<void(const FleetTotals&)> before_close;
};

struct RunResult {
  FleetTotals totals;
  double connect_s = -1;                    // until every device was connected once; -1 if that never happened
  double wall_s = 0;                        // the whole run, drain included
  double cpu_user_s = 0, cpu_system_s = 0;  // this process
  nlohmann::json to_json() const;
};

RunResult run_fleet(const FleetOptions& options, const RunSettings& settings);

// Raises the open-file limit to what `devices` need (3 descriptors each with libmosquitto 2.0: the socket and a
// socketpair) if the hard limit allows; throws FieldError("--devices") naming both figures when it does not.
void ensure_descriptors(int devices);

}  // namespace edgeml::fleetsim
