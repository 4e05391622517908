#pragma once
// Runs every reader into one Snapshot, picks the power source, and integrates energy since start.
// Power sources in order of preference: a fresh external meter (someone wired a meter to the wall socket on purpose),
// the Jetson Nano's ina3221x iio rails, hwmon (ina3221 on JetPack 5/6, power*/energy* files), powercap RAPL, the
// Raspberry Pi 5 PMIC (`vcgencmd pmic_read_adc`). All power readers are read on every sample, so counter-based ones
// keep their deltas short even when not chosen.
// Besides power: CPU usage and per-core frequency, memory, storage, temperatures, the Jetson GPU, EMC, power mode
// and jetson_clocks, fans, throttling (thermal trip points, Jetson over-current alarms, the Pi's get_throttled bits)
// and batteries; readers.hpp lists the sources. Every section a device lacks says why.
// Cost: a sample reads a few dozen small files; on a Raspberry Pi it also runs vcgencmd twice (pmic_read_adc,
// get_throttled). perf/telemetry measures it.
#include <memory>
#include <mutex>
#include <vector>

#include "common/clock.hpp"
#include "telemetry/energy.hpp"
#include "telemetry/external_meter.hpp"
#include "telemetry/reader.hpp"
#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

inline constexpr const char* kNoPowerReason =
    "no power sensor found (looked for: ina3221x iio, hwmon ina3221/power*, powercap rapl, Raspberry Pi 5 PMIC via "
    "vcgencmd, external meter)";
inline constexpr const char* kNoTemperatureReason =
    "no temperature sensor found (looked for: thermal_zone*/temp, hwmon temp*_input)";
inline constexpr const char* kNoThrottleReason =
    "no throttle source found (looked for: thermal zone passive/hot/critical trip points, Jetson soctherm_oc "
    "over-current alarms, Raspberry Pi vcgencmd get_throttled)";

class Collector {
 public:
  Collector(Roots roots, const edgeml::Clock& clock, ExternalMeterOptions meter_options = {});
  Snapshot sample();  // runs every reader; thread-safe (one sample at a time)
  ExternalMeter& meter() { return meter_; }
  const Roots& roots() const { return roots_; }

 private:
  Roots roots_;
  const edgeml::Clock& clock_;
  std::mutex mu_;
  ExternalMeter meter_;
  std::vector<std::unique_ptr<Reader>> readers_;        // every section but power
  std::vector<std::unique_ptr<Reader>> power_readers_;  // after the meter, in order of preference
  EnergyIntegrator energy_;
};

}  // namespace edgeml::telemetry
