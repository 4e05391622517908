#pragma once
// The Snapshot in the Prometheus text format (GET /metrics), with node_exporter-style names and base units so that
// dashboards can mix our metrics with node_exporter's. Unavailable values are absent, never 0; edgeml_power_available
// says whether power is measured at all.
#include <string>

#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

std::string to_prometheus(const Snapshot& s);

}  // namespace edgeml::telemetry
