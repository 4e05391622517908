// Jetson Nano / TX on L4T 32 (JetPack 4): the INA3221 through the iio driver `ina3221x`, at
// /sys/bus/i2c/drivers/ina3221x/<bus-addr>/iio:device*/ with rail_name_N, in_power{N}_input (mW),
// in_voltage{N}_input (mV) and in_current{N}_input (mA). Channels are mapped by rail_name_N, never by index; the total
// is POM_5V_IN alone (see power_total.hpp).
#include "telemetry/power_total.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {
class Ina3221xReader final : public Reader {
 public:
  explicit Ina3221xReader(const Roots& roots) : driver_(roots.sysfs / "bus" / "i2c" / "drivers" / "ina3221x") {}
  std::string name() const override { return "ina3221x"; }

  void read(Snapshot& out, double) override {
    PowerSection p;
    for (const auto& dev : list_entries(driver_, "")) {
      for (const auto& iio : list_entries(dev, "iio:device")) {
        for (const auto& rn : list_entries(iio, "rail_name_")) {
          auto n = channel_number(rn.filename().string(), "rail_name_", "");
          auto rail = read_text(rn);
          if (!n || !rail || rail->empty()) continue;
          std::string N = std::to_string(*n);
          PowerRail r;
          r.rail = *rail;
          if (auto mw = read_number(iio / ("in_power" + N + "_input"))) r.watts = *mw / 1000.0;
          if (auto mv = read_number(iio / ("in_voltage" + N + "_input"))) r.volts = *mv / 1000.0;
          if (auto ma = read_number(iio / ("in_current" + N + "_input"))) r.amps = *ma / 1000.0;
          if (!r.watts && r.volts && r.amps) r.watts = *r.volts * *r.amps;
          if (r.watts || r.volts || r.amps) p.rails.push_back(std::move(r));
        }
      }
    }
    if (p.rails.empty()) return;  // absent: leave the section to the other power readers
    choose_power_total(p);
    if (!p.total_watts) {
      out.power.reason = "ina3221x: rails found but no power or voltage x current readable";
      return;
    }
    p.available = true;
    p.source = "ina3221x";
    out.power = std::move(p);
  }

 private:
  std::filesystem::path driver_;
};
}  // namespace

std::unique_ptr<Reader> make_ina3221x_reader(const Roots& roots) { return std::make_unique<Ina3221xReader>(roots); }

}  // namespace edgeml::telemetry
