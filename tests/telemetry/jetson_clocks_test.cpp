// jetson_clocks as jtop decides it, derived from the cpufreq and GPU readings the Collector already took.
#include "telemetry/jetson_clocks.hpp"

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "fixture_tree.hpp"
#include "telemetry/collector.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kCpu = "sys/devices/system/cpu/";
const std::string kGpu = "sys/class/devfreq/57000000.gpu/";

// What `sudo jetson_clocks` does: every CPU core's and the GPU's minimum raised to its maximum.
void pin_clocks(const FixtureTree& tree, int cores) {
  for (int i = 0; i < cores; ++i)
    for (const char* f : {"scaling_cur_freq", "scaling_min_freq", "scaling_max_freq"})
      tree.write(kCpu + "cpu" + std::to_string(i) + "/cpufreq/" + f, 1479000);
  for (const char* f : {"cur_freq", "min_freq", "max_freq"}) tree.write(kGpu + f, 921600000);
}

TEST(TelemetryJetsonClocks, InactiveWhileGovernorsScaleAndActiveOncePinned) {
  FixtureTree tree("jetson_nano_l4t32");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto before = c.sample();
  ASSERT_TRUE(before.power_mode.available);
  EXPECT_EQ(before.power_mode.jetson_clocks_active, false);
  pin_clocks(tree, 4);
  EXPECT_EQ(c.sample().power_mode.jetson_clocks_active, true);
  tree.write(kGpu + "min_freq", 76800000);  // jetson_clocks --restore
  EXPECT_EQ(c.sample().power_mode.jetson_clocks_active, false);
}

TEST(TelemetryJetsonClocks, CoresSwitchedOffByThePowerModeDoNotCount) {
  FixtureTree tree("jetson_nano_l4t32");
  pin_clocks(tree, 2);
  tree.write(kCpu + "cpu2/online", 0);
  tree.write(kCpu + "cpu3/online", 0);
  ManualClock clock;
  Collector c(tree.roots(), clock);
  EXPECT_EQ(c.sample().power_mode.jetson_clocks_active, true);
}

TEST(TelemetryJetsonClocks, WithoutGpuClocksItIsNullWithTheReason) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.remove("sys/class/devfreq");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  auto s = c.sample();
  ASSERT_TRUE(s.power_mode.available);
  EXPECT_FALSE(s.power_mode.jetson_clocks_active.has_value());
  EXPECT_NE(s.power_mode.unavailable_series["jetson_clocks_active"].find("GPU"), std::string::npos);
}

TEST(TelemetryJetsonClocks, OnlyAJetsonGetsTheVerdict) {
  Snapshot s;  // no power mode: not a Jetson, nothing is added
  s.cpu_frequency.available = true;
  s.cpu_frequency.cores.push_back({0, true, 1e9, 1e9, 1e9, "performance"});
  fill_jetson_clocks(s);
  EXPECT_FALSE(s.power_mode.jetson_clocks_active.has_value());
  EXPECT_TRUE(s.power_mode.unavailable_series.empty());
}

}  // namespace
}  // namespace edgeml::telemetry
