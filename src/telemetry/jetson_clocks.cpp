#include "telemetry/jetson_clocks.hpp"

namespace edgeml::telemetry {

namespace {
constexpr const char* kSeries = "jetson_clocks_active";

bool pinned(const std::optional<double>& cur, const std::optional<double>& min, const std::optional<double>& max) {
  return *min == *max && *max == *cur;
}
}  // namespace

void fill_jetson_clocks(Snapshot& s) {
  PowerModeSection& p = s.power_mode;
  if (!p.available) return;
  if (!s.cpu_frequency.available) {
    p.unavailable_series[kSeries] = "needs the CPU frequencies: " + s.cpu_frequency.reason;
    return;
  }
  if (!s.gpu.available || !s.gpu.freq_hz || !s.gpu.min_freq_hz || !s.gpu.max_freq_hz) {
    p.unavailable_series[kSeries] =
        "needs the GPU's current, min and max frequency" + (s.gpu.available ? "" : ": " + s.gpu.reason);
    return;
  }
  bool all = pinned(s.gpu.freq_hz, s.gpu.min_freq_hz, s.gpu.max_freq_hz);
  for (const auto& c : s.cpu_frequency.cores) {
    if (!c.online) continue;  // nvpmodel modes switch cores off; jetson_clocks leaves them off
    if (!c.hz || !c.min_hz || !c.max_hz) {
      p.unavailable_series[kSeries] = "cpu" + std::to_string(c.core) + " has no current, min or max frequency";
      return;
    }
    all = all && pinned(c.hz, c.min_hz, c.max_hz);
  }
  p.jetson_clocks_active = all;
}

}  // namespace edgeml::telemetry
