#pragma once
// What one telemetry sample holds. Every section says whether it is available; an unavailable section carries the
// reason and no number. Units are in the names and converted once, in the reader that read them.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgeml::telemetry {

struct Availability {
  bool available = false;
  std::string reason;  // why not, when !available ("no /proc/stat", "no power sensor found: ...")
  std::string source;  // where from, when available ("procfs", "ina3221x", "hwmon:ina3221", "rapl", "external")
  // Series of an available section that could not be read, each with its reason: a GPU whose frequency is readable
  // but whose load file is not, an EMC clock without its activity monitor. Their numbers stay empty, never 0.
  std::map<std::string, std::string> unavailable_series;
  bool operator==(const Availability&) const = default;
};

struct CpuSection : Availability {
  std::optional<double> usage_ratio;   // 0..1 over all cores since the previous sample
  std::vector<double> per_core_ratio;  // same, per core: index i is cpu<i>; empty on the first sample or after a
                                       // core went on/offline (the two reads cover different cores)
  std::optional<double> load1, load5, load15;
  int cores = 0;
  bool operator==(const CpuSection&) const = default;
};

struct MemorySection : Availability {
  double total_bytes = 0, available_bytes = 0, used_ratio = 0;
  bool operator==(const MemorySection&) const = default;
};

struct StorageSection : Availability {
  std::string path;
  double total_bytes = 0, free_bytes = 0, used_ratio = 0;
  bool operator==(const StorageSection&) const = default;
};

struct TemperatureReading {
  std::string sensor;  // "thermal_zone0", "hwmon:cpu_thermal/temp1"
  std::string type;    // zone type or hwmon label ("cpu-thermal", "CPU-therm")
  double celsius = 0;
  bool operator==(const TemperatureReading&) const = default;
};

struct ThermalSection : Availability {
  std::vector<TemperatureReading> readings;
  std::optional<double> max_celsius;
  bool operator==(const ThermalSection&) const = default;
};

struct PowerRail {
  std::string rail;  // "POM_5V_IN", "VDD_IN", "package-0", "external"
  std::optional<double> watts, volts, amps;
  bool is_total = false;  // the rail that is the board's (or package's) total
  bool operator==(const PowerRail&) const = default;
};

struct PowerSection : Availability {
  std::vector<PowerRail> rails;
  std::optional<double> total_watts;  // the total rail, or a documented sum ("summed: no total rail")
  std::string total_method;           // "rail POM_5V_IN", "sum of rails (no total rail)", "rapl package counters"
  // For counter sources (RAPL, hwmon energy*_input, an external meter posting energy_j): joules counted by the source
  // since its reader first saw it, wraparound already corrected. The energy integrator prefers it to integrating watts.
  std::optional<double> energy_counter_joules;
  bool operator==(const PowerSection&) const = default;
};

struct EnergySection : Availability {
  std::optional<double> total_joules;  // since the agent started, from counters or integrated power
  std::string method;                  // "counter" | "trapezoid"
  bool operator==(const EnergySection&) const = default;
};

// Per-core cpufreq (/sys/devices/system/cpu/cpuN/cpufreq, kHz as read, Hz here).
struct CoreFrequency {
  int core = 0;  // N of cpuN
  bool online = true;
  std::optional<double> hz, min_hz, max_hz;  // scaling_cur_freq and the governor's current scaling_min/max_freq
  std::string governor;
  bool operator==(const CoreFrequency&) const = default;
};

struct CpuFrequencySection : Availability {
  std::vector<CoreFrequency> cores;  // by core number
  bool operator==(const CpuFrequencySection&) const = default;
};

// The Jetson integrated GPU, found the way jtop finds it: the devfreq node whose device tree name is a Tegra GPU.
struct GpuSection : Availability {
  std::string name;                  // devfreq node, "57000000.gpu", "17000000.ga10b"
  std::optional<double> load_ratio;  // 0..1, the driver's `load` (permille) / 1000
  std::optional<double> freq_hz, min_freq_hz, max_freq_hz;
  std::string governor;  // "nvhost_podgov"
  bool operator==(const GpuSection&) const = default;
};

// The Jetson external memory controller (EMC): its clock and how busy it is, as tegrastats' EMC_FREQ x%@f.
struct EmcSection : Availability {
  std::optional<double> freq_hz, min_freq_hz, max_freq_hz;
  std::optional<double> load_ratio;  // 0..1: actmon memory-controller activity / the EMC clock
  bool operator==(const EmcSection&) const = default;
};

struct FanReading {
  std::string fan;                  // "pwmfan", "pwm-fan", "nct6775/2"
  std::optional<double> pwm_ratio;  // duty cycle 0..1 (PWM 0..255, or the driver's pwm_cap)
  std::optional<double> rpm;        // tachometer, where the fan has one
  bool operator==(const FanReading&) const = default;
};

struct FanSection : Availability {
  std::vector<FanReading> fans;
  bool operator==(const FanSection&) const = default;
};

// Jetson power mode (nvpmodel) and whether jetson_clocks pinned the clocks.
struct PowerModeSection : Availability {
  std::optional<int> id;          // POWER_MODEL ID
  std::string name;               // "MAXN", "5W", "15W"
  std::optional<int> default_id;  // PM_CONFIG DEFAULT of nvpmodel.conf
  // jetson_clocks as jtop defines it: every online core and the GPU at min == max == current frequency.
  std::optional<bool> jetson_clocks_active;
  bool operator==(const PowerModeSection&) const = default;
};

// One cause of slowing down, current or past.
struct ThrottleFlag {
  std::string flag;    // "under_voltage", "frequency_capped", "throttled", "soft_temperature_limit", "thermal_trip",
                       // "over_current"
  std::string source;  // "vcgencmd get_throttled", "thermal_zone0 cpu-thermal passive trip 99 C", "soctherm_oc oc1"
  bool active_now = false;
  bool occurred = false;         // since boot (the Pi's sticky bits, a non-zero over-current counter), or now
  std::optional<double> events;  // count since boot, where the source counts (soctherm_oc)
  bool operator==(const ThrottleFlag&) const = default;
};

struct ThrottleSection : Availability {
  std::optional<bool> throttled_now;  // any flag active now
  std::vector<ThrottleFlag> flags;
  bool operator==(const ThrottleSection&) const = default;
};

// /sys/class/power_supply/<name> of type Battery (sysfs-class-power ABI: uWh, uAh, uV, uA, uW converted here).
struct BatteryReading {
  std::string name;    // "BAT0"
  std::string status;  // "Charging", "Discharging", "Not charging", "Full", "Unknown"
  std::optional<double> capacity_percent;
  std::optional<double> energy_now_wh, energy_full_wh;  // drivers report energy_* or charge_*, rarely both
  std::optional<double> charge_now_ah, charge_full_ah;
  std::optional<double> volts;
  std::optional<double> amps, watts;  // sign as the driver reports it (ABI: negative = discharging; ACPI: always +)
  bool operator==(const BatteryReading&) const = default;
};

// Mains, USB, wireless chargers: what feeds the device when it is not on battery.
struct ExternalSupply {
  std::string name;  // "AC", "ucsi-source-psy-USBC000:001"
  std::string type;  // "Mains", "USB"
  std::optional<bool> online;
  bool operator==(const ExternalSupply&) const = default;
};

struct PowerSupplySection : Availability {
  std::vector<BatteryReading> batteries;
  std::vector<ExternalSupply> external;
  std::optional<bool> on_battery;  // no external supply online (or, without any listed, a battery discharging)
  bool operator==(const PowerSupplySection&) const = default;
};

struct Snapshot {
  double timestamp_s = 0;  // Unix seconds
  std::optional<double> uptime_s;
  CpuSection cpu;
  MemorySection memory;
  StorageSection storage;
  ThermalSection thermal;
  PowerSection power;
  EnergySection energy;
  CpuFrequencySection cpu_frequency;
  GpuSection gpu;
  EmcSection emc;
  FanSection fans;
  PowerModeSection power_mode;
  ThrottleSection throttle;
  PowerSupplySection power_supply;
  bool operator==(const Snapshot&) const = default;
};

}  // namespace edgeml::telemetry
