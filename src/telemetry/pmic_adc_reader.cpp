// Raspberry Pi 5: the PMIC (Renesas DA9091) measures voltage and current of its rails; the firmware reports them
// through `vcgencmd pmic_read_adc`, one line per channel:
//     VDD_CORE_A current(7)=0.94657990A
//     VDD_CORE_V volt(15)=0.72097620V
//        EXT5V_V volt(24)=5.11478000V
// There is no sysfs route (Pi 5 hwmon has only cpu_thermal, rp1_adc, pwmfan, rpi_volt), so this reader runs the
// command, with a time limit. Power per rail = V x I; the board figure is their sum. It is an underestimate: the 5 V
// input current is not measurable on the Pi 5 (EXT5V is voltage only), so conversion losses are not in it -- the
// method says so rather than applying a third-party correction fit.
#include <filesystem>
#include <map>
#include <regex>

#include "common/strings.hpp"
#include "telemetry/command.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {

namespace {

constexpr size_t kMaxLineChars = 200;

class PmicAdcReader final : public Reader {
 public:
  explicit PmicAdcReader(const Roots& roots) : command_(roots.vcgencmd) {}
  std::string name() const override { return "pmic_adc"; }

  void read(Snapshot& out, double) override {
    std::error_code ec;
    if (command_.empty() || !std::filesystem::exists(command_, ec)) return;  // not a Raspberry Pi: absent
    auto run = run_command(command_, {"pmic_read_adc"});
    if (!run.text) {
      out.power.reason = "pmic_adc: " + run.error + " (vcgencmd needs the user in the video group)";
      return;
    }
    const std::string& text = *run.text;
    // Both output forms seen on firmware versions: "<RAIL>_A current(n)=xA" and "<RAIL>_V volt(n)=xV".
    static const std::regex line(R"(^\s*(\S+)_([AV])\s+(?:current|volt)\(\d+\)=([0-9.]+)[AV]\s*$)");
    std::map<std::string, PowerRail> rails;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::smatch m;
      std::string l = text.substr(start, end - start);
      std::optional<double> v;
      // Real lines are ~40 characters; libstdc++'s regex recurses per character, so longer ones are not tried.
      if (l.size() <= kMaxLineChars && std::regex_match(l, m, line) &&
          (v = parse_double(m[3].str()))) {  // "1..2" matches [0-9.]+ but is no number
        PowerRail& r = rails[m[1]];
        r.rail = m[1];
        (m[2] == "A" ? r.amps : r.volts) = *v;
      }
      start = end + 1;
    }
    PowerSection p;
    double total = 0;
    int measured = 0;
    for (auto& [name, r] : rails) {
      if (r.volts && r.amps) {
        r.watts = *r.volts * *r.amps;
        total += *r.watts;
        ++measured;
      }
      p.rails.push_back(r);
    }
    if (measured == 0) {
      out.power.reason = "pmic_adc: vcgencmd pmic_read_adc gave no rail with both voltage and current";
      return;
    }
    p.available = true;
    p.source = "pmic_adc";
    p.total_watts = total;
    p.total_method = "sum of V x I over " + std::to_string(measured) +
                     " PMIC rails (excludes conversion losses: the Pi 5's 5 V input current is not measurable)";
    out.power = std::move(p);
  }

 private:
  std::filesystem::path command_;
};

}  // namespace

std::unique_ptr<Reader> make_pmic_adc_reader(const Roots& roots) { return std::make_unique<PmicAdcReader>(roots); }

}  // namespace edgeml::telemetry
