#pragma once
// Where the bench gets energy from, if anywhere. The bench itself reads no sensor: the agent wraps a telemetry source
// (INA3221/hwmon, RAPL, an external meter) in an EnergySource. Without one, energy and power stay empty and the row's
// notes say why -- never 0.
#include <functional>
#include <optional>
#include <string>

namespace edgeml::bench {

struct EnergySource {
  std::string name;  // shown in notes, e.g. "rapl package-0", "ina3221 VDD_IN"
  // A cumulative energy counter in joules (monotonic, like RAPL's energy_uj): the bench reads it before and after each
  // measured run and takes the difference. nullopt when the reading failed; that run then has no energy.
  std::function<std::optional<double>()> joules;
};

}  // namespace edgeml::bench
