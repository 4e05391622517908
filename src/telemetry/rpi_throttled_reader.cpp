// Raspberry Pi throttling as its firmware reports it: `vcgencmd get_throttled` prints "throttled=0x50005", a bit field
// (Raspberry Pi documentation, "get_throttled"):
//   bit 0 under-voltage detected        bit 16 under-voltage has occurred
//   bit 1 arm frequency capped          bit 17 arm frequency capping has occurred
//   bit 2 currently throttled           bit 18 throttling has occurred
//   bit 3 soft temperature limit active bit 19 soft temperature limit has occurred
// The "has occurred" bits are sticky since boot. All four flags are always listed, so a dashboard can show each one.
// The command runs with the same time limit as pmic_adc (command.hpp); an absent vcgencmd means not a Pi.
#include "common/strings.hpp"
#include "telemetry/command.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

struct Bit {
  const char* flag;
  int now, since_boot;
};
constexpr Bit kBits[] = {
    {"under_voltage", 0, 16}, {"frequency_capped", 1, 17}, {"throttled", 2, 18}, {"soft_temperature_limit", 3, 19}};

constexpr const char* kSource = "vcgencmd get_throttled";

// "throttled=0x50005" -> 0x50005
std::optional<unsigned long> parse_throttled(const std::string& text) {
  std::string line(trim(text));
  const std::string prefix = "throttled=0x";
  if (line.rfind(prefix, 0) != 0) return std::nullopt;
  std::string hex = line.substr(prefix.size());
  if (hex.empty() || hex.size() > 8 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    return std::nullopt;
  return std::stoul(hex, nullptr, 16);
}

class RpiThrottledReader final : public Reader {
 public:
  explicit RpiThrottledReader(const Roots& roots) : command_(roots.vcgencmd) {}
  std::string name() const override { return "rpi_throttled"; }

  void read(Snapshot& out, double) override {
    std::error_code ec;
    if (command_.empty() || !std::filesystem::exists(command_, ec)) return;  // not a Raspberry Pi: absent
    ThrottleSection& t = out.throttle;
    auto run = run_command(command_, {"get_throttled"});
    if (!run.text) {
      t.unavailable_series[kSource] = run.error + " (vcgencmd needs the user in the video group)";
      return;
    }
    auto bits = parse_throttled(*run.text);
    if (!bits) {
      t.unavailable_series[kSource] =
          "unexpected answer \"" + printable(trim(*run.text)) + "\" (expected throttled=0x<hex>)";
      return;
    }
    for (const auto& b : kBits) {
      bool now = (*bits >> b.now & 1u) != 0;
      t.flags.push_back({b.flag, kSource, now, now || (*bits >> b.since_boot & 1u) != 0, std::nullopt});
    }
    t.available = true;
    t.source += (t.source.empty() ? "" : ", ") + std::string(kSource);
  }

 private:
  std::filesystem::path command_;
};

}  // namespace

std::unique_ptr<Reader> make_rpi_throttled_reader(const Roots& roots) {
  return std::make_unique<RpiThrottledReader>(roots);
}

}  // namespace edgeml::telemetry
