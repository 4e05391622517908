#include "fleetsim/device_kind.hpp"

#include <array>

#include "common/error.hpp"

namespace edgeml::fleetsim {

namespace {
const std::array<DeviceKind, 2> kKinds{{
    // Jetson Nano: POM_5V_IN 933 mW idle and the hottest zone at 38.5 C in the tegrastats / sysfs capture of
    // tests/fixtures/jetson_nano_l4t32; 10 W is the Nano's 10 W power mode, the top of the catalog's 2-10 W window
    // (catalog/device_profile.cpp). The 85 C ceiling is the walk's bound, not a measured limit of the board.
    {"jetson_nano", 0.933, 10.0, 38.5, 85.0,
     "idle: tests/fixtures/jetson_nano_l4t32 (POM_5V_IN, thermal zones); loaded: 10 W mode / catalog window"},
    // Raspberry Pi 5: 1.55 W onboard (PMIC rails summed) idle and 7.9 W at the wall under Geekbench
    // (../shared/notes/device-telemetry.md section 5); cpu-thermal at 51.95 C in tests/fixtures/rpi5. The 85 C
    // ceiling is the walk's bound, not a measured limit of the board.
    {"rpi5", 1.55, 7.9, 51.95, 85.0,
     "idle: PMIC sum and tests/fixtures/rpi5 cpu-thermal; loaded: wall meter under Geekbench (device-telemetry.md)"},
}};
}  // namespace

const DeviceKind& device_kind(const std::string& device_type) {
  for (const auto& k : kKinds)
    if (k.device_type == device_type) return k;
  throw FieldError("--device-type", "unknown device type '" + device_type + "' (jetson_nano | rpi5)");
}

std::vector<std::string> device_kinds() {
  std::vector<std::string> out;
  for (const auto& k : kKinds) out.push_back(k.device_type);
  return out;
}

}  // namespace edgeml::fleetsim
