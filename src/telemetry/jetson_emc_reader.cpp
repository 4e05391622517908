// The Jetson external memory controller (EMC): clock and load, what tegrastats prints as EMC_FREQ x%@f. Its files
// are in debugfs, which only root can read (and only when mounted), so on most agents this section is unavailable
// with exactly that reason. Paths in jtop's order of preference (jtop/core/memory.py read_emc) and NVIDIA's
// jetson_clocks script:
//   clock  <debugfs>/bpmp/debug/clk/emc/{rate,max_rate,min_rate}                    Xavier, Orin (Hz)
//          <sysfs>/class/devfreq/bwmgr/{cur_freq,max_freq,min_freq}                  Thor, no debugfs (Hz)
//          <debugfs>/clk/override.emc/clk_rate + tegra_bwmgr/emc_{max,min}_rate      Nano, TX1 on L4T 32 (Hz)
//          <debugfs>/clk/emc/{clk_rate,clk_max_rate,clk_min_rate}                    older kernels (Hz)
//   load   <debugfs>/cactmon/mc_all, <debugfs>/bpmp/debug/actmon/mc_all_avg_activity,
//          <sysfs>/kernel/actmon_avg_activity/mc_all: memory-controller activity; as jtop does,
//          load % = activity / clock in kHz
//   cap    <sysfs>/kernel/nvpmodel_emc_cap/emc_iso_cap: the power mode's EMC limit (Hz, 0 = none) lowers max
#include <cerrno>
#include <vector>

#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

namespace fs = std::filesystem;

// 2^64 - 1: the clock framework's "no limit" in clk_max_rate (jtop skips it too).
constexpr double kNoLimitHz = 18446744073709551615.0;

struct ClockFiles {
  const char* source;
  fs::path cur, max, min;
};

std::optional<double> positive(const fs::path& file) {
  auto v = read_number(file);
  if (!v || *v <= 0 || *v >= kNoLimitHz) return std::nullopt;
  return v;
}

class JetsonEmcReader final : public Reader {
 public:
  explicit JetsonEmcReader(const Roots& roots) : sysfs_(roots.sysfs), debugfs_(roots.sysfs / "kernel" / "debug") {
    const fs::path& d = debugfs_;
    clocks_ = {
        {"debugfs bpmp clk/emc", d / "bpmp/debug/clk/emc/rate", d / "bpmp/debug/clk/emc/max_rate",
         d / "bpmp/debug/clk/emc/min_rate"},
        {"devfreq bwmgr", sysfs_ / "class/devfreq/bwmgr/cur_freq", sysfs_ / "class/devfreq/bwmgr/max_freq",
         sysfs_ / "class/devfreq/bwmgr/min_freq"},
        {"debugfs clk/override.emc", d / "clk/override.emc/clk_rate", d / "tegra_bwmgr/emc_max_rate",
         d / "tegra_bwmgr/emc_min_rate"},
        {"debugfs clk/emc", d / "clk/emc/clk_rate", d / "clk/emc/clk_max_rate", d / "clk/emc/clk_min_rate"},
    };
    activity_ = {d / "cactmon/mc_all", d / "bpmp/debug/actmon/mc_all_avg_activity",
                 sysfs_ / "kernel/actmon_avg_activity/mc_all"};
  }
  std::string name() const override { return "jetson_emc"; }

  void read(Snapshot& out, double) override {
    EmcSection& e = out.emc;
    const ClockFiles* clock = nullptr;
    for (const auto& c : clocks_) {
      if ((e.freq_hz = positive(c.cur))) {
        clock = &c;
        break;
      }
    }
    if (!clock) {
      e.available = false;
      e.reason = no_clock_reason();
      return;
    }
    e.available = true;
    e.source = clock->source;
    e.max_freq_hz = positive(clock->max);
    e.min_freq_hz = positive(clock->min);
    if (auto cap = positive(sysfs_ / "kernel/nvpmodel_emc_cap/emc_iso_cap");
        cap && e.max_freq_hz && *cap < *e.max_freq_hz)
      e.max_freq_hz = cap;

    for (const auto& file : activity_) {
      auto activity = read_number(file);
      if (!activity || *activity < 0) continue;
      double ratio = *activity / (*e.freq_hz / 1000.0) / 100.0;
      if (ratio > 1.0) {
        e.unavailable_series["load_ratio"] =
            file.string() + " gives " + std::to_string(ratio * 100) + " % of the EMC clock: above 100 %, not a load";
        return;
      }
      e.load_ratio = ratio;
      return;
    }
    e.unavailable_series["load_ratio"] =
        "no memory-controller activity monitor readable (cactmon/mc_all, bpmp actmon, actmon_avg_activity); the "
        "debugfs ones need root";
  }

 private:
  // Why no clock: the usual case is an agent that is not root, for which debugfs is closed.
  std::string no_clock_reason() const {
    std::error_code ec;
    fs::directory_iterator it(debugfs_, ec);
    if (ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted)
      return "EMC clock needs debugfs as root: " + read_problem(debugfs_, ec.value());
    if (!ec && it == fs::directory_iterator())
      return "EMC clock needs debugfs as root: " + debugfs_.string() + " is empty (debugfs not mounted)";
    return "no Jetson EMC clock (looked for bpmp clk/emc, devfreq bwmgr, clk/override.emc, clk/emc under " +
           debugfs_.string() + " and " + (sysfs_ / "class/devfreq").string() + ")";
  }

  fs::path sysfs_, debugfs_;
  std::vector<ClockFiles> clocks_;
  std::vector<fs::path> activity_;
};

}  // namespace

std::unique_ptr<Reader> make_jetson_emc_reader(const Roots& roots) { return std::make_unique<JetsonEmcReader>(roots); }

}  // namespace edgeml::telemetry
