// Per-core CPU frequency from cpufreq.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kCpu = "sys/devices/system/cpu/";

Snapshot read_once(Reader& r) {
  Snapshot s;
  r.read(s, 0);
  return s;
}

TEST(TelemetryCpufreqReader, NanoCoresInHertz) {
  FixtureTree tree("jetson_nano_l4t32");
  auto s = read_once(*make_cpufreq_reader(tree.roots()));
  ASSERT_TRUE(s.cpu_frequency.available) << s.cpu_frequency.reason;
  EXPECT_EQ(s.cpu_frequency.source, "sysfs cpufreq");
  ASSERT_EQ(s.cpu_frequency.cores.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const auto& c = s.cpu_frequency.cores[i];
    EXPECT_EQ(c.core, i);
    EXPECT_TRUE(c.online);
    EXPECT_DOUBLE_EQ(*c.hz, 1036.8e6);  // the tegrastats capture's CPU [..%@1036]
    EXPECT_DOUBLE_EQ(*c.min_hz, 102e6);
    EXPECT_DOUBLE_EQ(*c.max_hz, 1479e6);
    EXPECT_EQ(c.governor, "schedutil");
  }
  EXPECT_TRUE(s.cpu_frequency.unavailable_series.empty());
}

TEST(TelemetryCpufreqReader, FollowsTheFilesAndAnOfflineCoreHasNoNumbers) {
  FixtureTree tree("jetson_nano_l4t32");
  auto reader = make_cpufreq_reader(tree.roots());
  read_once(*reader);
  // nvpmodel 5W switches cores 2 and 3 off and caps the others at 918 MHz.
  tree.write(kCpu + "cpu2/online", 0);
  tree.write(kCpu + "cpu3/online", 0);
  tree.write(kCpu + "cpu0/cpufreq/scaling_cur_freq", 918000);
  tree.write(kCpu + "cpu0/cpufreq/scaling_max_freq", 918000);
  auto s = read_once(*reader);
  ASSERT_EQ(s.cpu_frequency.cores.size(), 4u);
  EXPECT_DOUBLE_EQ(*s.cpu_frequency.cores[0].hz, 918e6);
  EXPECT_DOUBLE_EQ(*s.cpu_frequency.cores[0].max_hz, 918e6);
  EXPECT_TRUE(s.cpu_frequency.cores[1].online);
  EXPECT_FALSE(s.cpu_frequency.cores[2].online);
  EXPECT_FALSE(s.cpu_frequency.cores[2].hz.has_value());
  EXPECT_FALSE(s.cpu_frequency.cores[3].max_hz.has_value());
  EXPECT_TRUE(s.cpu_frequency.unavailable_series.empty()) << "an offline core is not a missing reading";
}

TEST(TelemetryCpufreqReader, AnUnreadableCoreSaysWhyAndTheOthersStay) {
  FixtureTree tree("rpi5");
  tree.remove(kCpu + "cpu1/cpufreq/scaling_cur_freq");
  tree.write(kCpu + "cpu2/cpufreq/scaling_cur_freq", "<unknown>");
  auto s = read_once(*make_cpufreq_reader(tree.roots()));
  ASSERT_TRUE(s.cpu_frequency.available);
  EXPECT_DOUBLE_EQ(*s.cpu_frequency.cores[0].hz, 1.5e9);
  EXPECT_FALSE(s.cpu_frequency.cores[1].hz.has_value());
  ASSERT_EQ(s.cpu_frequency.unavailable_series.count("cpu1"), 1u);
  EXPECT_NE(s.cpu_frequency.unavailable_series["cpu1"].find("cpu1/cpufreq/scaling_cur_freq: No such file"),
            std::string::npos)
      << s.cpu_frequency.unavailable_series["cpu1"];
  EXPECT_NE(s.cpu_frequency.unavailable_series["cpu2"].find("not a number"), std::string::npos);
}

TEST(TelemetryCpufreqReader, AVmWithoutCpufreqIsUnavailableWithTheReason) {
  FixtureTree tree("bare_vm");
  auto s = read_once(*make_cpufreq_reader(tree.roots()));
  EXPECT_FALSE(s.cpu_frequency.available);
  EXPECT_TRUE(s.cpu_frequency.cores.empty());
  EXPECT_NE(s.cpu_frequency.reason.find("no cpufreq"), std::string::npos) << s.cpu_frequency.reason;
}

}  // namespace
}  // namespace edgeml::telemetry
