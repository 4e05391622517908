// Jetson Nano, L4T 32: iio ina3221x rails.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kIio = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/";

const PowerRail* rail(const Snapshot& s, const std::string& name) {
  for (const auto& r : s.power.rails)
    if (r.rail == name) return &r;
  return nullptr;
}

TEST(TelemetryIna3221xReader, TotalIsPom5VInAloneNotTheSumOfRails) {
  FixtureTree tree("jetson_nano_l4t32");
  Snapshot s;
  make_ina3221x_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.power.available) << s.power.reason;
  EXPECT_EQ(s.power.source, "ina3221x");
  ASSERT_EQ(s.power.rails.size(), 3u);
  ASSERT_TRUE(s.power.total_watts);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 0.933);  // not 0.933 + 0 + 0.084
  EXPECT_EQ(s.power.total_method, "rail POM_5V_IN");
  const PowerRail* in = rail(s, "POM_5V_IN");
  ASSERT_NE(in, nullptr);
  EXPECT_TRUE(in->is_total);
  EXPECT_DOUBLE_EQ(*in->volts, 4.976);
  EXPECT_DOUBLE_EQ(*in->amps, 0.187);
  const PowerRail* cpu = rail(s, "POM_5V_CPU");
  ASSERT_NE(cpu, nullptr);
  EXPECT_FALSE(cpu->is_total);
  EXPECT_DOUBLE_EQ(*cpu->watts, 0.084);
  EXPECT_FALSE(s.power.energy_counter_joules.has_value()) << "the iio driver has no energy counter";
}

TEST(TelemetryIna3221xReader, RailsAreMappedByRailNameNotByChannelIndex) {
  FixtureTree tree("jetson_nano_l4t32");
  // A board that wires the input to channel 2: the total follows the name.
  tree.write(kIio + "rail_name_0", "POM_5V_CPU");
  tree.write(kIio + "rail_name_2", "POM_5V_IN");
  Snapshot s;
  make_ina3221x_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.power.total_watts);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 0.084);
  EXPECT_DOUBLE_EQ(*rail(s, "POM_5V_CPU")->watts, 0.933);
}

TEST(TelemetryIna3221xReader, PowerFollowsTheFilesAndFallsBackToVoltsTimesAmps) {
  FixtureTree tree("jetson_nano_l4t32");
  auto reader = make_ina3221x_reader(tree.roots());
  tree.write(kIio + "in_power0_input", 4512);
  Snapshot a;
  reader->read(a, 0);
  EXPECT_DOUBLE_EQ(*a.power.total_watts, 4.512);
  tree.remove(kIio + "in_power0_input");
  tree.write(kIio + "in_voltage0_input", 5000);
  tree.write(kIio + "in_current0_input", 400);
  Snapshot b;
  reader->read(b, 1);
  EXPECT_DOUBLE_EQ(*b.power.total_watts, 2.0);
}

TEST(TelemetryIna3221xReader, AbsentOnOtherBoardsLeavesThePowerSectionUntouched) {
  for (const char* t : {"jetson_orin_jp5", "rpi5", "x86_rapl", "bare_vm"}) {
    FixtureTree tree(t);
    Snapshot s;
    make_ina3221x_reader(tree.roots())->read(s, 0);
    EXPECT_FALSE(s.power.available) << t;
    EXPECT_TRUE(s.power.reason.empty()) << t;
  }
}

}  // namespace
}  // namespace edgeml::telemetry
