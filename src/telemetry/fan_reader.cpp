// Fans, found as jtop finds them (jtop/core/fan.py): every hwmon chip with pwmN (duty 0..255, hwmon ABI) or a
// tachometer (fanN_input, or `rpm` / `rpm_measured` on Jetson), plus the L4T 32 legacy /sys/devices/pwm-fan
// (target_pwm, cur_pwm, rpm_measured, pwm_cap). Examples: Jetson Orin "pwmfan" pwm1 with its tachometer in a separate
// "pwm_tach" chip (`rpm`), Raspberry Pi 5 "pwmfan" pwm1 + fan1_input, a PC board's nct6775 pwm1..7 + fan1..7_input.
// When exactly one fan has a PWM but no tachometer and exactly one chip has only a tachometer, they are one fan split
// over two chips (jtop merges them the same way).
#include <set>

#include "telemetry/hwmon_chips.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

namespace fs = std::filesystem;

constexpr double kPwmFullScale = 255.0;  // hwmon ABI: pwm[1-*] 0..255

std::optional<double> duty(const fs::path& file, double full_scale) {
  auto v = read_number(file);
  if (!v || *v < 0 || *v > full_scale || full_scale <= 0) return std::nullopt;
  return *v / full_scale;
}

std::optional<double> rpm(const fs::path& file) {
  auto v = read_number(file);
  if (!v || *v < 0) return std::nullopt;
  return v;
}

class FanReader final : public Reader {
 public:
  explicit FanReader(const Roots& roots) : sysfs_(roots.sysfs) {}
  std::string name() const override { return "fan"; }

  void read(Snapshot& out, double) override {
    FanSection& s = out.fans;
    std::vector<FanReading> tach_only;
    for (const auto& chip : find_hwmon_chips(sysfs_)) {
      std::set<int> channels;  // pwmN and fanN_input, from one listing of the chip's folder
      for (const auto& file : list_entries(chip.dir, "")) {
        std::string f = file.filename().string();
        if (auto n = channel_number(f, "pwm", "")) channels.insert(*n);
        if (auto n = channel_number(f, "fan", "_input")) channels.insert(*n);
      }
      for (int n : channels) {
        std::string N = std::to_string(n);
        FanReading f;
        f.fan = channels.size() == 1 ? chip.label : chip.label + "/" + N;
        f.pwm_ratio = duty(chip.dir / ("pwm" + N), kPwmFullScale);
        f.rpm = rpm(chip.dir / ("fan" + N + "_input"));
        if (f.pwm_ratio || f.rpm) s.fans.push_back(std::move(f));
      }
      if (!channels.empty()) continue;
      // Jetson tachometer chips have a bare `rpm` (or `rpm_measured`) instead of fanN_input.
      auto r = rpm(chip.dir / "rpm");
      if (!r) r = rpm(chip.dir / "rpm_measured");
      if (r) tach_only.push_back({chip.label, std::nullopt, r});
    }
    read_legacy_pwm_fan(s);

    std::vector<FanReading*> pwm_without_tach;
    for (auto& f : s.fans)
      if (f.pwm_ratio && !f.rpm) pwm_without_tach.push_back(&f);
    if (pwm_without_tach.size() == 1 && tach_only.size() == 1)
      pwm_without_tach[0]->rpm = tach_only[0].rpm;
    else
      s.fans.insert(s.fans.end(), tach_only.begin(), tach_only.end());

    for (const auto& f : s.fans) {  // a fan without one of its two series says why
      if (!f.rpm) s.unavailable_series[f.fan + " rpm"] = "no tachometer (fanN_input, rpm or rpm_measured)";
      if (!f.pwm_ratio) s.unavailable_series[f.fan + " pwm_ratio"] = "no PWM control (pwmN): a tachometer only";
    }
    if (s.fans.empty()) {
      s.available = false;
      s.reason = "no fan: no hwmon pwmN, fanN_input or rpm under " + (sysfs_ / "class" / "hwmon").string() + ", no " +
                 (sysfs_ / "devices" / "pwm-fan").string();
      return;
    }
    s.available = true;
    s.source = "hwmon";
  }

 private:
  // L4T 32 (Jetson Nano, TX2): the pwm-fan driver's own folder; target_pwm is what the fan control asks for, cur_pwm
  // what the fan gets while it ramps. Skipped when the driver also registered an hwmon chip (found above).
  void read_legacy_pwm_fan(FanSection& s) const {
    fs::path dir = sysfs_ / "devices" / "pwm-fan";
    std::error_code ec;
    if (fs::exists(dir / "hwmon", ec)) return;
    double cap = read_number(dir / "pwm_cap").value_or(kPwmFullScale);
    FanReading f;
    f.fan = "pwm-fan";
    f.pwm_ratio = duty(dir / "cur_pwm", cap);
    if (!f.pwm_ratio) f.pwm_ratio = duty(dir / "target_pwm", cap);
    f.rpm = rpm(dir / "rpm_measured");
    if (f.pwm_ratio || f.rpm) s.fans.push_back(std::move(f));
  }

  fs::path sysfs_;
};

}  // namespace

std::unique_ptr<Reader> make_fan_reader(const Roots& roots) { return std::make_unique<FanReader>(roots); }

}  // namespace edgeml::telemetry
