// Per-core CPU frequency from cpufreq: /sys/devices/system/cpu/cpuN/cpufreq/scaling_{cur,min,max}_freq (kHz) and
// scaling_governor, with cpuN/online (absent for a core that cannot be unplugged, such as cpu0). An offline core has
// no cpufreq readings: it is listed as offline (tegrastats prints "off"), without numbers. A VM usually has no cpufreq
// at all, which makes the section unavailable with that reason. scaling_cur_freq is world-readable; cpuinfo_cur_freq
// (the hardware's own reading) is root-only on many kernels, so it is not used.
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

std::optional<double> khz_to_hz(const std::filesystem::path& file) {
  auto khz = read_number(file);
  if (!khz || *khz < 0) return std::nullopt;
  return *khz * 1000.0;
}

class CpufreqReader final : public Reader {
 public:
  explicit CpufreqReader(const Roots& roots) : dir_(roots.sysfs / "devices" / "system" / "cpu") {}
  std::string name() const override { return "cpufreq"; }

  void read(Snapshot& out, double) override {
    CpuFrequencySection& s = out.cpu_frequency;
    bool any_cpufreq = false;
    for (const auto& cpu : list_entries(dir_, "cpu")) {
      auto n = channel_number(cpu.filename().string(), "cpu", "");  // cpu0.., not cpufreq/ or cpuidle/
      if (!n) continue;
      CoreFrequency core;
      core.core = *n;
      if (auto online = read_number(cpu / "online")) core.online = *online != 0;
      auto freq = cpu / "cpufreq";
      if (core.online) {
        auto cur = read_number_or_problem(freq / "scaling_cur_freq");
        if (cur.value && *cur.value >= 0)
          core.hz = *cur.value * 1000.0;
        else
          s.unavailable_series["cpu" + std::to_string(core.core)] = cur.problem;
        core.min_hz = khz_to_hz(freq / "scaling_min_freq");
        core.max_hz = khz_to_hz(freq / "scaling_max_freq");
        core.governor = read_text(freq / "scaling_governor").value_or("");
        any_cpufreq = any_cpufreq || core.hz.has_value();
      }
      s.cores.push_back(std::move(core));
    }
    if (!any_cpufreq) {
      s.cores.clear();
      s.unavailable_series.clear();
      s.available = false;
      s.reason = "no cpufreq: no readable " + (dir_ / "cpu*" / "cpufreq" / "scaling_cur_freq").string() +
                 " (a VM, or no cpufreq driver)";
      return;
    }
    s.available = true;
    s.source = "sysfs cpufreq";
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<Reader> make_cpufreq_reader(const Roots& roots) { return std::make_unique<CpufreqReader>(roots); }

}  // namespace edgeml::telemetry
