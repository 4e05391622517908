// hwmon power: ina3221 on JetPack 5/6 (V x I), power*_input, energy*_input.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kChip = "sys/class/hwmon/hwmon1/";

const PowerRail* rail(const Snapshot& s, const std::string& name) {
  for (const auto& r : s.power.rails)
    if (r.rail == name) return &r;
  return nullptr;
}

TEST(TelemetryHwmonPowerReader, OrinVddInIsTheTotalFromMillivoltsTimesMilliamps) {
  FixtureTree tree("jetson_orin_jp5");
  Snapshot s;
  make_hwmon_power_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.power.available) << s.power.reason;
  EXPECT_EQ(s.power.source, "hwmon:ina3221");
  // NC channels of the second chip and in7 (sum of shunt voltages) are not rails.
  ASSERT_EQ(s.power.rails.size(), 3u);
  EXPECT_EQ(rail(s, "NC"), nullptr);
  EXPECT_EQ(rail(s, "sum of shunt voltages"), nullptr);
  const PowerRail* in = rail(s, "VDD_IN");
  ASSERT_NE(in, nullptr);
  EXPECT_TRUE(in->is_total);
  EXPECT_DOUBLE_EQ(*in->volts, 5.072);
  EXPECT_DOUBLE_EQ(*in->amps, 1.032);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 5.072 * 1.032);
  EXPECT_EQ(s.power.total_method, "rail VDD_IN");
  EXPECT_DOUBLE_EQ(*rail(s, "VDD_SOC")->watts, 5.064 * 0.400);
}

TEST(TelemetryHwmonPowerReader, ValuesFollowTheFiles) {
  FixtureTree tree("jetson_orin_jp5");
  auto reader = make_hwmon_power_reader(tree.roots());
  tree.write(kChip + "curr1_input", 2000);
  tree.write(kChip + "in1_input", 5000);
  Snapshot s;
  reader->read(s, 0);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 10.0);
}

TEST(TelemetryHwmonPowerReader, AgxVinSys5V0IsNotTheTotalSoRailsAreSummedAndSaidSo) {
  FixtureTree tree("jetson_orin_jp5");
  tree.write(kChip + "in1_label", "VDD_GPU_SOC");
  tree.write(kChip + "in2_label", "VDD_CPU_CV");
  tree.write(kChip + "in3_label", "VIN_SYS_5V0");
  Snapshot s;
  make_hwmon_power_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.power.total_watts);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 5.072 * 1.032 + 5.064 * 0.328 + 5.064 * 0.400);
  EXPECT_NE(s.power.total_method.find("no total rail"), std::string::npos) << s.power.total_method;
  EXPECT_FALSE(rail(s, "VIN_SYS_5V0")->is_total);
}

TEST(TelemetryHwmonPowerReader, NcMeansTheWordNotTwoLettersInsideARailName) {
  FixtureTree tree("jetson_orin_jp5");
  tree.write("sys/class/hwmon/hwmon2/in2_label", "VDD_SYNC");
  Snapshot s;
  make_hwmon_power_reader(tree.roots())->read(s, 0);
  EXPECT_EQ(s.power.rails.size(), 4u);
  ASSERT_NE(rail(s, "VDD_SYNC"), nullptr);
  EXPECT_DOUBLE_EQ(*rail(s, "VDD_SYNC")->watts, 0.024 * 0.004);
  EXPECT_EQ(s.power.total_method, "rail VDD_IN");
}

TEST(TelemetryHwmonPowerReader, UnlabelledChannelsOfTwinChipsAreNamedByTheirI2cDevice) {
  FixtureTree tree("bare_vm");
  for (const char* chip : {"hwmon0", "hwmon1"}) {
    std::string d = std::string("sys/class/hwmon/") + chip + "/";
    tree.write(d + "name", "ina3221");
    tree.write(d + "in1_input", 5000);
    tree.write(d + "curr1_input", 100);
  }
  std::filesystem::create_directory_symlink("../../../devices/i2c-1/1-0040",
                                            tree.path("sys/class/hwmon/hwmon0/device"));
  std::filesystem::create_directory_symlink("../../../devices/i2c-1/1-0041",
                                            tree.path("sys/class/hwmon/hwmon1/device"));
  Snapshot s;
  make_hwmon_power_reader(tree.roots())->read(s, 0);
  ASSERT_EQ(s.power.rails.size(), 2u);
  EXPECT_EQ(s.power.rails[0].rail, "ina3221@1-0040/in1");
  EXPECT_EQ(s.power.rails[1].rail, "ina3221@1-0041/in1");
  EXPECT_NE(s.power.total_method.find("no total rail"), std::string::npos);
}

TEST(TelemetryHwmonPowerReader, ChipFoundByNameAfterRenumbering) {
  FixtureTree tree("jetson_orin_jp5");
  std::filesystem::rename(tree.path("sys/class/hwmon/hwmon1"), tree.path("sys/class/hwmon/hwmon5"));
  Snapshot s;
  make_hwmon_power_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.power.total_watts);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 5.072 * 1.032);
}

TEST(TelemetryHwmonPowerReader, PowerInputIsMicrowatts) {
  FixtureTree tree("bare_vm");
  tree.write("sys/class/hwmon/hwmon0/name", "ina238");
  tree.write("sys/class/hwmon/hwmon0/power1_input", 12500000);
  tree.write("sys/class/hwmon/hwmon0/power1_label", "VIN");  // Jetson Thor's total rail
  Snapshot s;
  make_hwmon_power_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.power.available);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 12.5);
  EXPECT_EQ(s.power.total_method, "rail VIN");
}

TEST(TelemetryHwmonPowerReader, EnergyInputCounterGivesPowerAndEnergyFromDeltas) {
  FixtureTree tree("bare_vm");
  tree.write("sys/class/hwmon/hwmon0/name", "acpi_power_meter");
  tree.write("sys/class/hwmon/hwmon0/energy1_input", 1000000000);  // microjoules
  auto reader = make_hwmon_power_reader(tree.roots());
  Snapshot a;
  reader->read(a, 100.0);
  ASSERT_TRUE(a.power.available);
  EXPECT_FALSE(a.power.total_watts.has_value()) << "power from a counter needs two reads";
  EXPECT_DOUBLE_EQ(*a.power.energy_counter_joules, 0.0);
  tree.write("sys/class/hwmon/hwmon0/energy1_input", 1000000000 + 30000000);  // +30 J
  Snapshot b;
  reader->read(b, 102.0);
  EXPECT_DOUBLE_EQ(*b.power.total_watts, 15.0);
  EXPECT_DOUBLE_EQ(*b.power.energy_counter_joules, 30.0);
}

TEST(TelemetryHwmonPowerReader, ThermalOnlyChipsAreNoPowerSource) {
  FixtureTree tree("rpi5");  // rp1_adc has in*_input voltages but no current: not a power source
  Snapshot s;
  make_hwmon_power_reader(tree.roots())->read(s, 0);
  EXPECT_FALSE(s.power.available);
  EXPECT_TRUE(s.power.reason.empty());
}

}  // namespace
}  // namespace edgeml::telemetry
