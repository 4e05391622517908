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

struct Snapshot {
  double timestamp_s = 0;  // Unix seconds
  std::optional<double> uptime_s;
  CpuSection cpu;
  MemorySection memory;
  StorageSection storage;
  ThermalSection thermal;
  PowerSection power;
  EnergySection energy;
  bool operator==(const Snapshot&) const = default;
};

}  // namespace edgeml::telemetry
