#pragma once
// What device this is, for GET /status: hostname, architecture, CPU model, cores, RAM, OS. Read once at start from
// uname(2), <procfs>/cpuinfo, <procfs>/meminfo and /etc/os-release; a field that cannot be read is null with no guess.
#include <filesystem>
#include <nlohmann/json.hpp>

namespace edgeml::agent {

// procfs_root: normally /proc (a fixture tree in tests). os_release: normally /etc/os-release.
nlohmann::json read_device_info(const std::filesystem::path& procfs_root,
                                const std::filesystem::path& os_release = "/etc/os-release");

}  // namespace edgeml::agent
