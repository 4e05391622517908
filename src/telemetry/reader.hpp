#pragma once
// One reader per source (the node_exporter collector pattern): each fills its part of a Snapshot, reading only under
// the roots it was given, and marks its section unavailable with a reason when the source is absent.
#include <filesystem>
#include <string>

#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

struct Roots {
  std::filesystem::path sysfs = "/sys";
  std::filesystem::path procfs = "/proc";
  std::filesystem::path storage = ".";  // statvfs target: the agent's state folder
  // Raspberry Pi 5: its PMIC's ADCs are read by running `vcgencmd pmic_read_adc` (there is no sysfs route). Absent
  // file = no such source; tests point it at a fixture script.
  std::filesystem::path vcgencmd = "/usr/bin/vcgencmd";
  // The root file system, for state and configuration files outside /sys and /proc: the Jetson power mode lives in
  // <rootfs>/etc/nvpmodel.conf and <rootfs>/var/lib/nvpmodel/status. Tests point it at a fixture tree.
  std::filesystem::path rootfs = "/";
};

class Reader {
 public:
  virtual ~Reader() = default;
  virtual std::string name() const = 0;                // "cpu", "meminfo", "thermal_zone", "ina3221x", "rapl", ...
  virtual void read(Snapshot& out, double now_s) = 0;  // must not throw for a missing or malformed source
};

}  // namespace edgeml::telemetry
