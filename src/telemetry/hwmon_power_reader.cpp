// Power from hwmon chips (/sys/class/hwmon/hwmon*, found by `name`):
//  - ina3221 (Jetson on JetPack 5/6): the driver has no power file; P = in{N}_input (mV) x curr{N}_input (mA).
//    Channels labelled "NC" (not connected) and channel 7 (sum of shunt voltages) are skipped, as jtop does.
//  - any chip with power{N}_input (microwatt) or energy{N}_input (microjoule counter), labelled by *_label.
// Total: VDD_IN (Orin Nano/NX) or another documented total rail, else the sum of rails, said so (power_total.hpp).
#include <algorithm>
#include <cctype>
#include <map>

#include "common/strings.hpp"
#include "telemetry/energy.hpp"
#include "telemetry/hwmon_chips.hpp"
#include "telemetry/power_total.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

// "NC" as a word of the label (jtop skips labels containing "NC"), but not inside a word such as VDD_SYNC.
bool is_not_connected(const std::string& label) {
  std::string word;
  for (char c : label + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += c;
    } else {
      if (word == "NC") return true;
      word.clear();
    }
  }
  return false;
}

std::string rail_label(const HwmonChip& chip, const std::string& prefix, int n) {
  return hwmon_label(chip.dir, prefix, n).value_or(chip.label + "/" + prefix + std::to_string(n));
}

class HwmonPowerReader final : public Reader {
 public:
  explicit HwmonPowerReader(const Roots& roots) : sysfs_(roots.sysfs) {}
  std::string name() const override { return "hwmon_power"; }

  void read(Snapshot& out, double now_s) override {
    PowerSection p;
    std::string chips;
    double counter_joules = 0;
    size_t instant_rails = 0, counter_rails = 0;
    for (const auto& chip : find_hwmon_chips(sysfs_)) {
      size_t before = p.rails.size();
      if (chip.name == "ina3221") read_ina3221(chip, p);
      read_power_files(chip, p);
      instant_rails += p.rails.size() - before;
      // energy*_input measures the same channels as power*_input: use it only for chips that give no power.
      if (p.rails.size() == before) {
        for (int n : hwmon_channels(chip.dir, "energy", "_input")) {
          auto uj = read_number(chip.dir / ("energy" + std::to_string(n) + "_input"));
          if (!uj) continue;
          // hwmon counters are 64-bit with no documented wrap: a decrease is a reset, not a wrap.
          auto step = counters_[chip.label + "/energy" + std::to_string(n)].update(*uj / 1e6, now_s, std::nullopt);
          PowerRail r;
          r.rail = rail_label(chip, "energy", n);
          r.watts = step.watts;
          p.rails.push_back(std::move(r));
          counter_joules += step.joules_since_start;
          ++counter_rails;
        }
      }
      if (p.rails.size() > before) chips += (chips.empty() ? "" : ",") + chip.name;
    }
    if (p.rails.empty()) return;
    choose_power_total(p);
    p.available = true;
    p.source = "hwmon:" + chips;
    // Counters alone: the integrator takes their deltas. Mixed with instant rails the counters cover only some of
    // the board, so energy comes from integrating the total watts instead.
    if (instant_rails == 0 && counter_rails > 0) {
      p.energy_counter_joules = counter_joules;
      if (!p.total_watts) p.total_method = "energy counters (power needs a second read)";
    }
    out.power = std::move(p);
  }

 private:
  static void read_ina3221(const HwmonChip& chip, PowerSection& p) {
    for (int n : hwmon_channels(chip.dir, "curr", "_input")) {
      if (n == 7) continue;  // in7 is the sum of shunt voltages, not a rail
      auto label = hwmon_label(chip.dir, "in", n);
      if (label && is_not_connected(*label)) continue;
      auto mv = read_number(chip.dir / ("in" + std::to_string(n) + "_input"));
      auto ma = read_number(chip.dir / ("curr" + std::to_string(n) + "_input"));
      if (!mv || !ma) continue;
      PowerRail r;
      r.rail = label.value_or(chip.label + "/in" + std::to_string(n));
      r.volts = *mv / 1000.0;
      r.amps = *ma / 1000.0;
      r.watts = *r.volts * *r.amps;
      p.rails.push_back(std::move(r));
    }
  }

  static void read_power_files(const HwmonChip& chip, PowerSection& p) {
    for (int n : hwmon_channels(chip.dir, "power", "_input")) {
      auto uw = read_number(chip.dir / ("power" + std::to_string(n) + "_input"));
      if (!uw) continue;
      PowerRail r;
      r.rail = rail_label(chip, "power", n);
      r.watts = *uw / 1e6;
      p.rails.push_back(std::move(r));
    }
  }

  std::filesystem::path sysfs_;
  std::map<std::string, CounterTracker> counters_;
};

}  // namespace

std::unique_ptr<Reader> make_hwmon_power_reader(const Roots& roots) {
  return std::make_unique<HwmonPowerReader>(roots);
}

}  // namespace edgeml::telemetry
