#pragma once
// Running a device's own reporting tool (the Raspberry Pi's vcgencmd) for readers whose source has no sysfs file.
// Every run has a time limit and an output limit: a hung or chatty firmware call must not stall or bloat sampling.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace edgeml::telemetry {

struct CommandOutput {
  std::optional<std::string> text;  // stdout, when the command exited with status 0 in time
  std::string error;                // otherwise why not: "... failed (exit status 1)", "... gave no answer within ..."
};

inline constexpr std::chrono::milliseconds kCommandTimeout{2000};
inline constexpr size_t kCommandMaxOutputBytes = 64 * 1024;

// Runs `program args...` without a shell, stdout captured, stderr discarded; killed at the timeout.
CommandOutput run_command(const std::filesystem::path& program, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout = kCommandTimeout);

}  // namespace edgeml::telemetry
