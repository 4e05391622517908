#include "process_usage.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/strings.hpp"

namespace edgeml::perf {

std::optional<ProcessUsage> sample_process(int pid, const char* proc_root) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(proc_root) / std::to_string(pid);
  ProcessUsage u;
  u.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  std::ifstream stat(dir / "stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // Fields after the command name (which may hold spaces) start after the last ')': state is field 3, utime 14.
  auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  auto fields = split_whitespace(std::string_view(line).substr(close + 1));
  if (fields.size() < 13) return std::nullopt;
  double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  u.cpu_s = (parse_double(fields[11]).value_or(0) + parse_double(fields[12]).value_or(0)) / ticks;
  std::ifstream status(dir / "status");
  while (std::getline(status, line)) {
    auto parts = split_whitespace(line);
    if (parts.size() < 2) continue;
    if (parts[0] == "VmRSS:") u.rss_kib = parse_int(parts[1]).value_or(0);
    if (parts[0] == "VmHWM:") u.hwm_kib = parse_int(parts[1]).value_or(0);
    if (parts[0] == "Threads:") u.threads = static_cast<int>(parse_int(parts[1]).value_or(0));
  }
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir / "fd", ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    ++u.open_fds;
  return u;
}

}  // namespace edgeml::perf
