#include "common/log.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include "common/strings.hpp"

namespace edgeml::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};
std::mutex g_mu;
const char* name(Level l) {
  switch (l) {
    case Level::debug:
      return "DEBUG";
    case Level::info:
      return "INFO";
    case Level::warn:
      return "WARN";
    default:
      return "ERROR";
  }
}
}  // namespace

void set_level(Level level) { g_level = static_cast<int>(level); }

void write(Level level, std::string_view component, std::string_view message) {
  if (static_cast<int>(level) < g_level) return;
  std::string ts = format_utc(static_cast<double>(std::time(nullptr)));
  std::lock_guard lock(g_mu);
  std::fprintf(stderr, "%s %s %.*s: %.*s\n", ts.c_str(), name(level), static_cast<int>(component.size()),
               component.data(), static_cast<int>(message.size()), message.data());
}

}  // namespace edgeml::log
