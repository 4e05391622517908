#pragma once
// What a simulated device of a type draws and how warm it runs: the anchors of its random walk, each from a real
// reading (sources beside each figure in device_kind.cpp). Between the anchors the values are a model, and every
// simulated sample says so (detail.simulated = true).
#include <string>
#include <vector>

namespace edgeml::fleetsim {

struct DeviceKind {
  std::string device_type;
  double idle_power_w = 0;    // whole board, idle
  double loaded_power_w = 0;  // whole board, all cores busy
  double idle_temp_c = 0;     // hottest sensor, idle
  double max_temp_c = 0;      // the walk's ceiling (a bound of the model, not a measurement)
  std::string source;         // where the anchors come from
};

// jetson_nano, rpi5. Throws FieldError("--device-type") for another type.
const DeviceKind& device_kind(const std::string& device_type);
std::vector<std::string> device_kinds();

}  // namespace edgeml::fleetsim
