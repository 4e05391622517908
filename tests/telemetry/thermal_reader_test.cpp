// thermal_zone and hwmon_temp readers.
#include <gtest/gtest.h>

#include <map>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;

std::map<std::string, TemperatureReading> by_sensor(const Snapshot& s) {
  std::map<std::string, TemperatureReading> m;
  for (const auto& r : s.thermal.readings) m[r.sensor] = r;
  return m;
}

TEST(TelemetryThermalZoneReader, NanoZonesInCelsiusWithoutThePmicZone) {
  FixtureTree tree("jetson_nano_l4t32");
  Snapshot s;
  make_thermal_zone_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.thermal.available);
  auto m = by_sensor(s);
  EXPECT_EQ(m.size(), 5u);
  EXPECT_EQ(m.count("thermal_zone4"), 0u) << "PMIC-Die reads a fixed 100 C and must be skipped";
  EXPECT_EQ(m["thermal_zone0"].type, "AO-therm");
  EXPECT_DOUBLE_EQ(m["thermal_zone0"].celsius, 38.5);
  EXPECT_DOUBLE_EQ(m["thermal_zone1"].celsius, 31.5);
}

TEST(TelemetryThermalZoneReader, OfflineOrinSensorsAtMinus256AreDropped) {
  FixtureTree tree("jetson_orin_jp5");
  Snapshot s;
  make_thermal_zone_reader(tree.roots())->read(s, 0);
  auto m = by_sensor(s);
  EXPECT_EQ(m.size(), 6u);
  for (const auto& r : s.thermal.readings) EXPECT_GT(r.celsius, -40) << r.sensor;
  EXPECT_EQ(m.count("thermal_zone2"), 0u);
  EXPECT_DOUBLE_EQ(m["thermal_zone0"].celsius, 45.25);
}

TEST(TelemetryThermalZoneReader, OutOfRangeAndUnparsableReadingsAreDropped) {
  FixtureTree tree("rpi5");
  tree.write("sys/class/thermal/thermal_zone1/type", "bogus");
  tree.write("sys/class/thermal/thermal_zone1/temp", 200000);
  tree.write("sys/class/thermal/thermal_zone2/type", "unplugged");
  tree.write("sys/class/thermal/thermal_zone2/temp", "N/A");
  Snapshot s;
  make_thermal_zone_reader(tree.roots())->read(s, 0);
  ASSERT_EQ(s.thermal.readings.size(), 1u);
  EXPECT_EQ(s.thermal.readings[0].type, "cpu-thermal");
  EXPECT_DOUBLE_EQ(s.thermal.readings[0].celsius, 51.95);
}

TEST(TelemetryThermalZoneReader, ValuesFollowTheFiles) {
  FixtureTree tree("rpi5");
  auto reader = make_thermal_zone_reader(tree.roots());
  tree.write("sys/class/thermal/thermal_zone0/temp", 67300);
  Snapshot s;
  reader->read(s, 0);
  ASSERT_EQ(s.thermal.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(s.thermal.readings[0].celsius, 67.3);
}

TEST(TelemetryThermalZoneReader, BareVmHasNone) {
  FixtureTree tree("bare_vm");
  Snapshot s;
  make_thermal_zone_reader(tree.roots())->read(s, 0);
  make_hwmon_temp_reader(tree.roots())->read(s, 0);
  EXPECT_FALSE(s.thermal.available);
  EXPECT_TRUE(s.thermal.readings.empty());
}

TEST(TelemetryHwmonTempReader, CoretempWithLabels) {
  FixtureTree tree("x86_rapl");
  Snapshot s;
  make_hwmon_temp_reader(tree.roots())->read(s, 0);
  auto m = by_sensor(s);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m["hwmon:coretemp/temp1"].type, "Package id 0");
  EXPECT_DOUBLE_EQ(m["hwmon:coretemp/temp1"].celsius, 45.0);
  EXPECT_EQ(m["hwmon:coretemp/temp3"].type, "Core 1");
}

TEST(TelemetryHwmonTempReader, ChipsAreFoundByNameNotByHwmonNumber) {
  FixtureTree tree("rpi5");
  // After a reboot the chips can come up in another order.
  std::filesystem::rename(tree.path("sys/class/hwmon/hwmon0"), tree.path("sys/class/hwmon/hwmon9"));
  Snapshot s;
  make_hwmon_temp_reader(tree.roots())->read(s, 0);
  auto m = by_sensor(s);
  ASSERT_EQ(m.size(), 2u);  // cpu_thermal and rp1_adc; pwmfan and rpi_volt have no temperature
  EXPECT_DOUBLE_EQ(m["hwmon:cpu_thermal/temp1"].celsius, 51.95);
  EXPECT_EQ(m["hwmon:cpu_thermal/temp1"].type, "cpu_thermal") << "no label: the chip name is the type";
  EXPECT_DOUBLE_EQ(m["hwmon:rp1_adc/temp1"].celsius, 55.428);
}

TEST(TelemetryHwmonTempReader, InvalidHwmonTemperaturesAreDropped) {
  FixtureTree tree("x86_rapl");
  tree.write("sys/class/hwmon/hwmon3/temp2_input", -256000);
  Snapshot s;
  make_hwmon_temp_reader(tree.roots())->read(s, 0);
  EXPECT_EQ(by_sensor(s).count("hwmon:coretemp/temp2"), 0u);
  EXPECT_EQ(s.thermal.readings.size(), 2u);
}

}  // namespace
}  // namespace edgeml::telemetry
