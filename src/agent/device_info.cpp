#include "agent/device_info.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>

#include "common/strings.hpp"

namespace edgeml::agent {

namespace {
// "key : value" lines (cpuinfo, meminfo) -> value of the first line whose key is one of keys.
std::optional<std::string> field(const std::filesystem::path& file, const std::vector<std::string>& keys) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto key = std::string(trim(line.substr(0, colon)));
    for (const auto& k : keys)
      if (key == k) return std::string(trim(line.substr(colon + 1)));
  }
  return std::nullopt;
}

nlohmann::json or_null(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
}  // namespace

nlohmann::json read_device_info(const std::filesystem::path& procfs_root, const std::filesystem::path& os_release) {
  nlohmann::json j;
  char host[256] = {};
  j["hostname"] = ::gethostname(host, sizeof host - 1) == 0 ? nlohmann::json(std::string(host)) : nlohmann::json();
  struct utsname u {};
  if (::uname(&u) == 0) {
    j["arch"] = u.machine;
    j["kernel"] = std::string(u.sysname) + " " + u.release;
  } else {
    j["arch"] = j["kernel"] = nullptr;
  }
  // x86: "model name"; Raspberry Pi: "Model" (the board) when "model name" is absent; Jetson (arm64): "Hardware" or
  // nothing -- then the CPU model is unknown rather than guessed.
  j["cpu_model"] = or_null(field(procfs_root / "cpuinfo", {"model name", "Model", "Hardware", "cpu model"}));
  // Cores: "processor" entries in cpuinfo (counts the cores of the given root, not of the test machine).
  std::ifstream cpuinfo(procfs_root / "cpuinfo");
  int cores = 0;
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("processor", 0) == 0 && line.find(':') != std::string::npos) ++cores;
  j["cores"] = cores > 0 ? nlohmann::json(cores) : nlohmann::json();
  j["ram_bytes"] = nullptr;
  if (auto mem = field(procfs_root / "meminfo", {"MemTotal"})) {
    auto parts = split_whitespace(*mem);  // "8048096 kB"
    if (!parts.empty())
      if (auto kb = parse_double(parts[0])) j["ram_bytes"] = *kb * 1024.0;
  }
  std::optional<std::string> os;
  {
    std::ifstream in(os_release);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("PRETTY_NAME=", 0) == 0) {
        auto v = line.substr(12);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        os = v;
      }
  }
  j["os"] = or_null(os);
  return j;
}

}  // namespace edgeml::agent
