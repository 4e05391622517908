// The Jetson memory controller (EMC) clock and load, from debugfs where root can read it.
#include <gtest/gtest.h>

#include <filesystem>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;

Snapshot read_once(Reader& r) {
  Snapshot s;
  r.read(s, 0);
  return s;
}

TEST(TelemetryJetsonEmcReader, NanoClockFromOverrideEmcAndLoadFromCactmon) {
  FixtureTree tree("jetson_nano_l4t32");
  auto s = read_once(*make_jetson_emc_reader(tree.roots()));
  ASSERT_TRUE(s.emc.available) << s.emc.reason;
  EXPECT_EQ(s.emc.source, "debugfs clk/override.emc");
  EXPECT_DOUBLE_EQ(*s.emc.freq_hz, 1.6e9);
  EXPECT_DOUBLE_EQ(*s.emc.max_freq_hz, 1.6e9);
  EXPECT_DOUBLE_EQ(*s.emc.min_freq_hz, 204e6);
  EXPECT_DOUBLE_EQ(*s.emc.load_ratio, 0.10);  // EMC_FREQ 10%@1600 in the tegrastats capture
}

TEST(TelemetryJetsonEmcReader, OrinClockFromBpmpAndLoadThatFollowsActmon) {
  FixtureTree tree("jetson_orin_jp5");
  auto reader = make_jetson_emc_reader(tree.roots());
  auto a = read_once(*reader);
  ASSERT_TRUE(a.emc.available) << a.emc.reason;
  EXPECT_EQ(a.emc.source, "debugfs bpmp clk/emc");
  EXPECT_DOUBLE_EQ(*a.emc.freq_hz, 2.133e9);
  EXPECT_DOUBLE_EQ(*a.emc.load_ratio, 0.05);
  tree.write("sys/kernel/debug/bpmp/debug/actmon/mc_all_avg_activity", 85320000);  // 40 % of 2133000 kHz
  tree.write("sys/kernel/debug/bpmp/debug/clk/emc/rate", 2133000000);
  auto b = read_once(*reader);
  EXPECT_DOUBLE_EQ(*b.emc.load_ratio, 0.40);
}

TEST(TelemetryJetsonEmcReader, PowerModeCapLowersTheMaximum) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.write("sys/kernel/nvpmodel_emc_cap/emc_iso_cap", 1331200000);
  auto s = read_once(*make_jetson_emc_reader(tree.roots()));
  EXPECT_DOUBLE_EQ(*s.emc.max_freq_hz, 1.3312e9);
}

TEST(TelemetryJetsonEmcReader, ClockWithoutActivityMonitorHasANullLoadWithTheReason) {
  FixtureTree tree("jetson_orin_jp5");
  tree.remove("sys/kernel/debug/bpmp/debug/actmon");
  auto s = read_once(*make_jetson_emc_reader(tree.roots()));
  ASSERT_TRUE(s.emc.available);
  EXPECT_FALSE(s.emc.load_ratio.has_value());
  EXPECT_NE(s.emc.unavailable_series["load_ratio"].find("no memory-controller activity monitor"), std::string::npos);

  tree.write("sys/kernel/actmon_avg_activity/mc_all", 400000000);  // 187 % of the clock: not a load
  auto t = read_once(*make_jetson_emc_reader(tree.roots()));
  EXPECT_FALSE(t.emc.load_ratio.has_value());
  EXPECT_NE(t.emc.unavailable_series["load_ratio"].find("above 100 %"), std::string::npos);
}

TEST(TelemetryJetsonEmcReader, WithoutDebugfsTheReasonSaysItNeedsRoot) {
  FixtureTree tree("jetson_nano_l4t32");
  tree.remove("sys/kernel/debug");
  std::filesystem::create_directories(tree.path("sys/kernel/debug"));  // the mount point, debugfs not mounted
  auto s = read_once(*make_jetson_emc_reader(tree.roots()));
  EXPECT_FALSE(s.emc.available);
  EXPECT_NE(s.emc.reason.find("needs debugfs as root"), std::string::npos) << s.emc.reason;
  EXPECT_NE(s.emc.reason.find("not mounted"), std::string::npos) << s.emc.reason;
  EXPECT_FALSE(s.emc.freq_hz.has_value());
}

TEST(TelemetryJetsonEmcReader, OtherDevicesHaveNoEmcAndSayWhy) {
  for (const char* t : {"rpi5", "bare_vm", "laptop_battery"}) {
    FixtureTree tree(t);
    auto s = read_once(*make_jetson_emc_reader(tree.roots()));
    EXPECT_FALSE(s.emc.available) << t;
    EXPECT_NE(s.emc.reason.find("no Jetson EMC clock"), std::string::npos) << s.emc.reason;
  }
}

}  // namespace
}  // namespace edgeml::telemetry
