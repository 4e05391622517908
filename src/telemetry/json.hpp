#pragma once
// The Snapshot as JSON for GET /telemetry and /telemetry/history. Each section has "available"; an available one has
// "source" and its numbers, an unavailable one has "reason" and no numbers. Units are in the field names.
#include <nlohmann/json.hpp>

#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

nlohmann::json to_json(const Snapshot& s);

}  // namespace edgeml::telemetry
