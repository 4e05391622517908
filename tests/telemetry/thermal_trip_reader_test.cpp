// Thermal throttling: zones at or above a passive, hot or critical trip point.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kZones = "sys/class/thermal/";

Snapshot read_once(Reader& r) {
  Snapshot s;
  r.read(s, 0);
  return s;
}

TEST(TelemetryThermalTripReader, CoolNanoIsWatchedAndNotThrottled) {
  FixtureTree tree("jetson_nano_l4t32");
  auto s = read_once(*make_thermal_trip_reader(tree.roots()));
  EXPECT_TRUE(s.throttle.available);
  EXPECT_EQ(s.throttle.source, "thermal trip points");
  EXPECT_TRUE(s.throttle.flags.empty());
}

TEST(TelemetryThermalTripReader, CrossingAPassiveThenACriticalTripFlagsTheZoneOnce) {
  FixtureTree tree("jetson_nano_l4t32");
  auto reader = make_thermal_trip_reader(tree.roots());
  tree.write(kZones + "thermal_zone1/temp", 98000);
  auto warm = read_once(*reader);
  ASSERT_EQ(warm.throttle.flags.size(), 1u);
  EXPECT_EQ(warm.throttle.flags[0].flag, "thermal_trip");
  EXPECT_EQ(warm.throttle.flags[0].source, "thermal_zone1 CPU-therm passive trip 97 C");
  EXPECT_TRUE(warm.throttle.flags[0].active_now);
  tree.write(kZones + "thermal_zone1/temp", 103000);
  auto hot = read_once(*reader);
  ASSERT_EQ(hot.throttle.flags.size(), 1u);
  EXPECT_EQ(hot.throttle.flags[0].source, "thermal_zone1 CPU-therm critical trip 102.5 C");
  tree.write(kZones + "thermal_zone1/temp", 45000);
  EXPECT_TRUE(read_once(*reader).throttle.flags.empty()) << "cooled down: nothing active";
}

TEST(TelemetryThermalTripReader, FanTripsAndBogusZonesAreNotThrottling) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.write(kZones + "thermal_zone5/temp", 80000);               // thermal-fan-est past all its active (fan) trips
  tree.write(kZones + "thermal_zone4/trip_point_0_temp", 90000);  // PMIC-Die reads a fixed 100 C
  tree.write(kZones + "thermal_zone4/trip_point_0_type", "critical");
  EXPECT_TRUE(read_once(*make_thermal_trip_reader(tree.roots())).throttle.flags.empty());

  FixtureTree pi("rpi5");  // the Pi 5 has active fan trips from 50 C and a critical one at 110 C
  pi.write(kZones + "thermal_zone0/temp", 76000);
  auto s = read_once(*make_thermal_trip_reader(pi.roots()));
  EXPECT_TRUE(s.throttle.available);
  EXPECT_TRUE(s.throttle.flags.empty());
}

TEST(TelemetryThermalTripReader, NoTripPointsLeavesTheSectionToOthers) {
  FixtureTree tree("bare_vm");
  auto s = read_once(*make_thermal_trip_reader(tree.roots()));
  EXPECT_FALSE(s.throttle.available);
  EXPECT_TRUE(s.throttle.source.empty());
}

}  // namespace
}  // namespace edgeml::telemetry
