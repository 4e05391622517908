// hwmon temperatures: temp*_input (millidegree Celsius) of every chip, labelled by temp*_label when the chip gives one.
// Sensor names are "hwmon:<chip>/tempN" (node_exporter's chip+sensor pair), not the unstable hwmonN number; chips
// sharing a name are told apart by their device (hwmon_chips.hpp).
#include "telemetry/hwmon_chips.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {
class HwmonTempReader final : public Reader {
 public:
  explicit HwmonTempReader(const Roots& roots) : sysfs_(roots.sysfs) {}
  std::string name() const override { return "hwmon_temp"; }

  void read(Snapshot& out, double) override {
    for (const auto& chip : find_hwmon_chips(sysfs_)) {
      for (int n : hwmon_channels(chip.dir, "temp", "_input")) {
        auto milli = read_number(chip.dir / ("temp" + std::to_string(n) + "_input"));
        if (!milli) continue;
        double c = *milli / 1000.0;
        if (!valid_celsius(c)) continue;
        std::string sensor = "hwmon:" + chip.label + "/temp" + std::to_string(n);
        out.thermal.readings.push_back({sensor, hwmon_label(chip.dir, "temp", n).value_or(chip.name), c});
        out.thermal.available = true;
      }
    }
  }

 private:
  std::filesystem::path sysfs_;
};
}  // namespace

std::unique_ptr<Reader> make_hwmon_temp_reader(const Roots& roots) { return std::make_unique<HwmonTempReader>(roots); }

}  // namespace edgeml::telemetry
