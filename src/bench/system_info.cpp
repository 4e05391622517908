#include "bench/system_info.hpp"

#include <fstream>

#include "common/strings.hpp"

namespace edgeml::bench {

namespace {
// Value of the first "key : value" line whose key is `key`, in a /proc-style file.
std::optional<std::string> field(const std::filesystem::path& file, std::string_view key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos || trim(line.substr(0, colon)) != key) continue;
    auto value = std::string(trim(line.substr(colon + 1)));
    if (!value.empty()) return value;
  }
  return std::nullopt;
}
}  // namespace

std::string cpu_model(const std::filesystem::path& proc) {
  for (const char* key : {"model name", "Model", "Hardware"})
    if (auto v = field(proc / "cpuinfo", key)) return *v;
  std::ifstream dt(proc / "device-tree/model");
  std::string model;
  std::getline(dt, model, '\0');  // device-tree strings end with NUL
  model = std::string(trim(model));
  return model.empty() ? "unknown" : model;
}

bool reset_peak_rss(const std::filesystem::path& proc) {
  std::ofstream out(proc / "self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

std::optional<double> peak_rss_mb(const std::filesystem::path& proc) {
  auto v = field(proc / "self/status", "VmHWM");  // "123456 kB"
  if (!v) return std::nullopt;
  auto parts = split_whitespace(*v);
  if (parts.empty()) return std::nullopt;
  auto kb = parse_double(parts[0]);
  if (!kb) return std::nullopt;
  return *kb / 1024.0;
}

}  // namespace edgeml::bench
