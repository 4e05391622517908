#include "telemetry/hwmon_chips.hpp"

#include <algorithm>

#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace fs = std::filesystem;

std::vector<HwmonChip> find_hwmon_chips(const fs::path& sysfs_root) {
  std::vector<HwmonChip> chips;
  for (const auto& dir : list_entries(sysfs_root / "class" / "hwmon", "hwmon")) {
    // Older drivers put `name` under device/ rather than beside the channels.
    auto name = read_text(dir / "name");
    if (!name) name = read_text(dir / "device" / "name");
    if (name && !name->empty()) chips.push_back({*name, *name, dir});
  }
  // Two ina3221 on one board: tell them apart by their device (the i2c address behind the `device` link), which is
  // stable across boots; fall back to hwmonN only when there is no device link.
  for (auto& chip : chips) {
    auto same = std::count_if(chips.begin(), chips.end(), [&](const HwmonChip& c) { return c.name == chip.name; });
    if (same < 2) continue;
    std::error_code ec;
    auto target = fs::read_symlink(chip.dir / "device", ec);
    chip.label = chip.name + "@" + (ec || target.empty() ? chip.dir.filename().string() : target.filename().string());
  }
  return chips;
}

std::vector<int> hwmon_channels(const fs::path& dir, const std::string& prefix, const std::string& suffix) {
  std::vector<int> out;
  for (const auto& p : list_entries(dir, prefix))
    if (auto n = channel_number(p.filename().string(), prefix, suffix)) out.push_back(*n);
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> hwmon_label(const fs::path& dir, const std::string& prefix, int n) {
  auto label = read_text(dir / (prefix + std::to_string(n) + "_label"));
  if (label && label->empty()) return std::nullopt;
  return label;
}

}  // namespace edgeml::telemetry
