#pragma once
// Which rail is the board's total. Jetson boards have one (POM_5V_IN on the Nano, VDD_IN on Orin Nano/NX, VIN on
// Thor); adding the other rails to it double-counts (jetson_stats issue #51). Without one, the sum of the rails is
// reported and the method says so. VIN_SYS_5V0 on AGX Orin is an I/O rail, not the total (jetson_stats issue #344).
#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

bool is_total_rail_name(const std::string& rail);

// Marks the total rail, sets total_watts and total_method from the rails that have watts.
void choose_power_total(PowerSection& power);

}  // namespace edgeml::telemetry
