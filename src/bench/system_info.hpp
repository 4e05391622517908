#pragma once
// Facts about the machine and this process that go into benchmark rows. Roots are parameters so tests can point
// them at fake /proc trees.
#include <filesystem>
#include <optional>
#include <string>

namespace edgeml::bench {

// "model name" (x86), "Model" (Raspberry Pi), "Hardware" from <proc>/cpuinfo, else <proc>/device-tree/model
// (Jetson), else "unknown".
std::string cpu_model(const std::filesystem::path& proc = "/proc");

// Resets the process's peak resident set size (writes "5" to <proc>/self/clear_refs, Linux >= 4.0), so the next
// peak_rss_mb() covers only what follows. Returns false when the kernel does not allow it.
bool reset_peak_rss(const std::filesystem::path& proc = "/proc");
// VmHWM from <proc>/self/status in MiB, or nullopt when unreadable.
std::optional<double> peak_rss_mb(const std::filesystem::path& proc = "/proc");

}  // namespace edgeml::bench
