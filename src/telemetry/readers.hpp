#pragma once
// The readers, one per source, each implemented in its own file (cpu_reader.cpp, thermal_zone_reader.cpp, ...).
// They are reached only through the Reader interface; their state (previous counters) lives inside them.
//
// What each one fills:
//   cpu              Snapshot::cpu          /proc/stat deltas, /proc/loadavg
//   uptime           Snapshot::uptime_s     /proc/uptime
//   meminfo          Snapshot::memory       /proc/meminfo
//   storage          Snapshot::storage      statvfs(Roots::storage)
//   thermal_zone     Snapshot::thermal      /sys/class/thermal/thermal_zone*/{temp,type}     (appends readings)
//   hwmon_temp       Snapshot::thermal      /sys/class/hwmon/hwmon*/temp*_input              (appends readings)
//   ina3221x         Snapshot::power        Jetson L4T 32 iio: /sys/bus/i2c/drivers/ina3221x/*/iio:device*
//   hwmon_power      Snapshot::power        /sys/class/hwmon: ina3221 V x I, power*_input, energy*_input
//   rapl             Snapshot::power        /sys/class/powercap/intel-rapl:N/energy_uj
//   pmic_adc         Snapshot::power        Raspberry Pi 5: `vcgencmd pmic_read_adc` (V and A per PMIC rail)
// Power readers leave Snapshot::power untouched (available=false, empty reason) when their source is absent, and
// set only a reason when the source exists but cannot be used (EACCES); the Collector picks the first available one.
#include <memory>

#include "telemetry/reader.hpp"

namespace edgeml::telemetry {

std::unique_ptr<Reader> make_cpu_reader(const Roots& roots);
std::unique_ptr<Reader> make_uptime_reader(const Roots& roots);
std::unique_ptr<Reader> make_meminfo_reader(const Roots& roots);
std::unique_ptr<Reader> make_storage_reader(const Roots& roots);
std::unique_ptr<Reader> make_thermal_zone_reader(const Roots& roots);
std::unique_ptr<Reader> make_hwmon_temp_reader(const Roots& roots);
std::unique_ptr<Reader> make_ina3221x_reader(const Roots& roots);
std::unique_ptr<Reader> make_hwmon_power_reader(const Roots& roots);
std::unique_ptr<Reader> make_rapl_reader(const Roots& roots);
std::unique_ptr<Reader> make_pmic_adc_reader(const Roots& roots);

// Temperatures outside this range are sensor faults, not weather: an offline Jetson sensor reads -256 C.
inline constexpr double kMinValidCelsius = -40.0;
inline constexpr double kMaxValidCelsius = 150.0;
inline bool valid_celsius(double c) { return c >= kMinValidCelsius && c <= kMaxValidCelsius; }

}  // namespace edgeml::telemetry
