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
//   cpufreq          Snapshot::cpu_frequency /sys/devices/system/cpu/cpuN/cpufreq/scaling_*, cpuN/online
//   jetson_gpu       Snapshot::gpu          /sys/class/devfreq/<node whose of_node is a Tegra GPU>, device/load
//   jetson_emc       Snapshot::emc          debugfs EMC clock and actmon (root only), devfreq bwmgr
//   fan              Snapshot::fans         hwmon pwmN / fanN_input / rpm, L4T 32 /sys/devices/pwm-fan
//   nvpmodel         Snapshot::power_mode   <rootfs>/var/lib/nvpmodel/status, <rootfs>/etc/nvpmodel.conf
//   thermal_trip     Snapshot::throttle     thermal_zone*/trip_point_* of type passive/hot/critical crossed (appends)
//   soctherm_oc      Snapshot::throttle     Jetson hwmon soctherm_oc ocN_event_cnt over-current counters (appends)
//   rpi_throttled    Snapshot::throttle     Raspberry Pi: `vcgencmd get_throttled` bits (appends)
//   power_supply     Snapshot::power_supply /sys/class/power_supply/*: batteries, mains/USB online
// Power readers leave Snapshot::power untouched (available=false, empty reason) when their source is absent, and
// set only a reason when the source exists but cannot be used (EACCES); the Collector picks the first available one.
// Throttle readers likewise append flags and their source only when their source exists; one that exists but fails
// names itself in throttle.unavailable_series. The Collector gives the reason when no throttle source exists.
// The other readers own their section and set its reason themselves.
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
std::unique_ptr<Reader> make_cpufreq_reader(const Roots& roots);
std::unique_ptr<Reader> make_jetson_gpu_reader(const Roots& roots);
std::unique_ptr<Reader> make_jetson_emc_reader(const Roots& roots);
std::unique_ptr<Reader> make_fan_reader(const Roots& roots);
std::unique_ptr<Reader> make_nvpmodel_reader(const Roots& roots);
std::unique_ptr<Reader> make_thermal_trip_reader(const Roots& roots);
std::unique_ptr<Reader> make_soctherm_oc_reader(const Roots& roots);
std::unique_ptr<Reader> make_rpi_throttled_reader(const Roots& roots);
std::unique_ptr<Reader> make_power_supply_reader(const Roots& roots);

// Temperatures outside this range are sensor faults, not weather: an offline Jetson sensor reads -256 C.
inline constexpr double kMinValidCelsius = -40.0;
inline constexpr double kMaxValidCelsius = 150.0;
inline bool valid_celsius(double c) { return c >= kMinValidCelsius && c <= kMaxValidCelsius; }

}  // namespace edgeml::telemetry
