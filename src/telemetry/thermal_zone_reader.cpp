// Temperatures of /sys/class/thermal/thermal_zone*/temp (millidegree Celsius) with the zone's `type`.
// Skipped: PMIC zones (the Jetson Nano's PMIC-Die reports a fixed 100 C, as jtop notes) and invalid readings such as
// the -256 C of an offline Orin sensor, or anything outside the plausible range.
#include "common/strings.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {
class ThermalZoneReader final : public Reader {
 public:
  explicit ThermalZoneReader(const Roots& roots) : dir_(roots.sysfs / "class" / "thermal") {}
  std::string name() const override { return "thermal_zone"; }

  void read(Snapshot& out, double) override {
    for (const auto& zone : list_entries(dir_, "thermal_zone")) {
      auto type = read_text(zone / "type").value_or("");
      if (contains_ci(type, "pmic")) continue;
      auto milli = read_number(zone / "temp");
      if (!milli) continue;
      double c = *milli / 1000.0;
      if (!valid_celsius(c)) continue;
      out.thermal.readings.push_back({zone.filename().string(), type, c});
      out.thermal.available = true;
    }
  }

 private:
  std::filesystem::path dir_;
};
}  // namespace

std::unique_ptr<Reader> make_thermal_zone_reader(const Roots& roots) {
  return std::make_unique<ThermalZoneReader>(roots);
}

}  // namespace edgeml::telemetry
