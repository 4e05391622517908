#pragma once
// hwmon chips under <sysfs>/class/hwmon, identified by their `name` file: hwmonN numbers change between boots.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace edgeml::telemetry {

struct HwmonChip {
  std::string name;           // "ina3221", "cpu_thermal", "coretemp"
  std::string label;          // name, or "ina3221@1-0041" when several chips share the name (device = i2c address)
  std::filesystem::path dir;  // .../class/hwmon/hwmon3
};

std::vector<HwmonChip> find_hwmon_chips(const std::filesystem::path& sysfs_root);

// Channel numbers N for which <dir>/<prefix>N<suffix> exists ("temp", "_input" -> {1, 2}).
std::vector<int> hwmon_channels(const std::filesystem::path& dir, const std::string& prefix, const std::string& suffix);

// <prefix>N_label, trimmed, or nullopt when the chip gives none.
std::optional<std::string> hwmon_label(const std::filesystem::path& dir, const std::string& prefix, int n);

}  // namespace edgeml::telemetry
