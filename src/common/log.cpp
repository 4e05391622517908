#include "common/log.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

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
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard lock(g_mu);
  std::fprintf(stderr, "%s %s %.*s: %.*s\n", ts, name(level), static_cast<int>(component.size()), component.data(),
               static_cast<int>(message.size()), message.data());
}

}  // namespace edgeml::log
