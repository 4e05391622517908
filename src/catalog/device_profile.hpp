#pragma once
// What a device type plausibly draws, to check benchmark rows by their implied average power.
#include <map>
#include <string>

namespace edgeml::catalog {

struct DeviceProfile {
  std::string device_type;
  double power_min_w = 0.5;
  double power_max_w = 500;
  int default_iterations = 500;  // inferences per measured run when the file does not say (original project: 500)
};

// Jetson Nano 2-10 W, Raspberry Pi 5 1.5-12 W; others get a wide window until configured.
DeviceProfile default_profile(const std::string& device_type);

// Device type from a file name: "*jetson*" -> jetson_nano, "*rpi5*" / "*raspberry*" -> rpi5, else the file stem.
std::string device_type_from_filename(const std::string& filename);

// A device type is a short identifier: [a-z0-9_-]{1,64}. Throws FieldError("device_type") otherwise.
std::string normalize_device_type(const std::string& s);

}  // namespace edgeml::catalog
