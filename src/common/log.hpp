#pragma once
// One-line logs to stderr: "2026-11-25T01:02:03Z INFO controller: message". Never log secrets (tokens).
#include <string_view>

namespace edgeml::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };
void set_level(Level level);
void write(Level level, std::string_view component, std::string_view message);
inline void info(std::string_view c, std::string_view m) { write(Level::info, c, m); }
inline void warn(std::string_view c, std::string_view m) { write(Level::warn, c, m); }
inline void error(std::string_view c, std::string_view m) { write(Level::error, c, m); }
inline void debug(std::string_view c, std::string_view m) { write(Level::debug, c, m); }

}  // namespace edgeml::log
