// Jetson over-current throttling: the SoC thermal block's over-current alarms, an hwmon chip named "soctherm_oc"
// (NVIDIA tegra-oc-event driver). Each alarm N counts its events since boot in ocN_event_cnt (JetPack 5/6) or
// ocN_irq_cnt (L4T 32, Xavier); every event throttles CPU and GPU for a while -- the "system throttled due to
// over-current" warning of NVIDIA's GUI (jetson_stats issue #151). A counter that rose since the previous sample is
// active now; a non-zero one has occurred since boot. ocN_throt_en says whether an alarm may throttle at all, which
// is configuration, not state, and is not reported.
#include <map>

#include "telemetry/hwmon_chips.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

class SocthermOcReader final : public Reader {
 public:
  explicit SocthermOcReader(const Roots& roots) : sysfs_(roots.sysfs) {}
  std::string name() const override { return "soctherm_oc"; }

  void read(Snapshot& out, double) override {
    for (const auto& chip : find_hwmon_chips(sysfs_)) {
      if (chip.name != "soctherm_oc") continue;
      std::map<int, double> counts;
      for (const char* suffix : {"_event_cnt", "_irq_cnt"})
        for (int n : hwmon_channels(chip.dir, "oc", suffix))
          if (auto v = read_number(chip.dir / ("oc" + std::to_string(n) + suffix)); v && *v >= 0 && !counts.count(n))
            counts[n] = *v;
      if (counts.empty()) continue;
      ThrottleSection& t = out.throttle;
      for (const auto& [n, count] : counts) {
        std::string key = chip.label + "/oc" + std::to_string(n);
        auto prev = previous_.find(key);
        bool rose = prev != previous_.end() && count > prev->second;
        t.flags.push_back({"over_current", "soctherm_oc oc" + std::to_string(n), rose, count > 0, count});
        previous_[key] = count;
      }
      t.available = true;
      t.source += (t.source.empty() ? "" : ", ") + std::string("soctherm_oc");
    }
  }

 private:
  std::filesystem::path sysfs_;
  std::map<std::string, double> previous_;  // counter per chip/alarm at the previous sample
};

}  // namespace

std::unique_ptr<Reader> make_soctherm_oc_reader(const Roots& roots) {
  return std::make_unique<SocthermOcReader>(roots);
}

}  // namespace edgeml::telemetry
