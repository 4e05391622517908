#pragma once
// The checks every row goes through. Each adds flags to the row; none removes it.
#include "catalog/catalog.hpp"

namespace edgeml::catalog {

// Fills avg_power_w / energy_per_inference_mj and adds every flag that applies.
void validate_row(ModelRow& row, const DeviceProfile& profile, const Thresholds& thresholds);

}  // namespace edgeml::catalog
