// Thermal throttling from the kernel's own thresholds: a thermal zone at or above one of its trip points of type
// passive (the governor lowers clocks), hot or critical (/sys/class/thermal/thermal_zoneN/trip_point_M_{temp,type},
// Documentation/ABI/testing/sysfs-class-thermal; m°C). Active trips are fan speed steps, not throttling, and are
// ignored. jtop's SYSFS page counts hot and critical only; passive is where Linux starts throttling, so it counts here.
// One flag per zone, for its highest crossed trip. Zones the thermal_zone reader drops (PMIC, offline -256 C) are
// dropped here too.
#include "common/strings.hpp"
#include "telemetry/readers.hpp"
#include "telemetry/sysfs.hpp"

namespace edgeml::telemetry {

namespace {

constexpr int kMaxTrips = 32;  // a zone has a handful; a bound in case a driver misbehaves

bool throttling_trip(const std::string& type) { return type == "passive" || type == "hot" || type == "critical"; }

class ThermalTripReader final : public Reader {
 public:
  explicit ThermalTripReader(const Roots& roots) : dir_(roots.sysfs / "class" / "thermal") {}
  std::string name() const override { return "thermal_trip"; }

  void read(Snapshot& out, double) override {
    ThrottleSection& t = out.throttle;
    bool watched = false;
    for (const auto& zone : list_entries(dir_, "thermal_zone")) {
      auto type = read_text(zone / "type").value_or("");
      if (contains_ci(type, "pmic")) continue;
      auto milli = read_number(zone / "temp");
      if (!milli || !valid_celsius(*milli / 1000.0)) continue;
      std::optional<double> crossed;  // m°C of the highest crossed trip
      std::string crossed_type;
      // Trip points are numbered from 0 without gaps: probing stops at the first missing one, which costs less per
      // sample than listing the zone's folder.
      for (int n = 0; n < kMaxTrips; ++n) {
        std::string N = std::to_string(n);
        auto trip_type = read_text(zone / ("trip_point_" + N + "_type"));
        if (!trip_type) break;
        auto trip_milli = read_number(zone / ("trip_point_" + N + "_temp"));
        if (!throttling_trip(*trip_type) || !trip_milli || *trip_milli <= 0) continue;
        watched = true;
        if (*milli >= *trip_milli && (!crossed || *trip_milli > *crossed)) {
          crossed = trip_milli;
          crossed_type = *trip_type;
        }
      }
      if (crossed)
        t.flags.push_back({"thermal_trip",
                           zone.filename().string() + " " + type + " " + crossed_type + " trip " +
                               format_number(*crossed / 1000.0) + " C",
                           true, true, std::nullopt});
    }
    if (!watched) return;  // no throttling trip point anywhere: not a source on this device
    t.available = true;
    t.source += (t.source.empty() ? "" : ", ") + std::string("thermal trip points");
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<Reader> make_thermal_trip_reader(const Roots& roots) {
  return std::make_unique<ThermalTripReader>(roots);
}

}  // namespace edgeml::telemetry
