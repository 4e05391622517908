#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;

// /proc/stat with two cores; each core is {user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice}.
std::string stat_text(const std::vector<std::array<long long, 10>>& cores) {
  std::array<long long, 10> all{};
  std::string lines;
  for (size_t i = 0; i < cores.size(); ++i) {
    lines += "cpu" + std::to_string(i);
    for (size_t k = 0; k < 10; ++k) {
      all[k] += cores[i][k];
      lines += " " + std::to_string(cores[i][k]);
    }
    lines += "\n";
  }
  std::string head = "cpu ";
  for (auto v : all) head += " " + std::to_string(v);
  return head + "\n" + lines + "intr 1 0\nctxt 5\nbtime 1700000000";
}

TEST(TelemetryCpuReader, FirstSampleHasCoresAndLoadButNoRatio) {
  FixtureTree tree("jetson_nano_l4t32");
  auto reader = make_cpu_reader(tree.roots());
  Snapshot s;
  reader->read(s, 0);
  EXPECT_TRUE(s.cpu.available);
  EXPECT_EQ(s.cpu.source, "procfs");
  EXPECT_EQ(s.cpu.cores, 4);
  EXPECT_FALSE(s.cpu.usage_ratio.has_value()) << "a ratio needs two reads";
  EXPECT_TRUE(s.cpu.per_core_ratio.empty());
  ASSERT_TRUE(s.cpu.load1 && s.cpu.load5 && s.cpu.load15);
  EXPECT_DOUBLE_EQ(*s.cpu.load1, 0.52);
  EXPECT_DOUBLE_EQ(*s.cpu.load15, 0.59);
}

TEST(TelemetryCpuReader, UsageIsBusyTicksOverAllTicksBetweenReads) {
  FixtureTree tree("bare_vm");
  tree.write("proc/stat", stat_text({{100, 0, 100, 800, 0, 0, 0, 0, 0, 0}, {100, 0, 100, 800, 0, 0, 0, 0, 0, 0}}));
  auto reader = make_cpu_reader(tree.roots());
  Snapshot first;
  reader->read(first, 0);
  // core0: +150 user, +50 idle -> 0.75; core1: +200 idle, +100 iowait (iowait is not busy) -> 0.
  tree.write("proc/stat", stat_text({{250, 0, 100, 850, 0, 0, 0, 0, 0, 0}, {100, 0, 100, 1000, 100, 0, 0, 0, 0, 0}}));
  Snapshot second;
  reader->read(second, 1);
  ASSERT_TRUE(second.cpu.usage_ratio);
  EXPECT_DOUBLE_EQ(*second.cpu.usage_ratio, 150.0 / 500.0);
  ASSERT_EQ(second.cpu.per_core_ratio.size(), 2u);
  EXPECT_DOUBLE_EQ(second.cpu.per_core_ratio[0], 0.75);
  EXPECT_DOUBLE_EQ(second.cpu.per_core_ratio[1], 0.0);
}

TEST(TelemetryCpuReader, GuestTimeIsNotCountedTwice) {
  FixtureTree tree("bare_vm");
  tree.write("proc/stat", stat_text({{100, 0, 0, 100, 0, 0, 0, 0, 0, 0}}));
  auto reader = make_cpu_reader(tree.roots());
  Snapshot s;
  reader->read(s, 0);
  // 100 user ticks of which 100 were guest (user includes guest), 100 idle: usage is 0.5, not 200/300.
  tree.write("proc/stat", stat_text({{200, 0, 0, 200, 0, 0, 0, 0, 100, 0}}));
  reader->read(s, 1);
  ASSERT_TRUE(s.cpu.usage_ratio);
  EXPECT_DOUBLE_EQ(*s.cpu.usage_ratio, 0.5);
}

TEST(TelemetryCpuReader, CounterResetOrCoreHotplugGivesNoRatioRatherThanAWrongOne) {
  FixtureTree tree("bare_vm");
  tree.write("proc/stat", stat_text({{500, 0, 0, 500, 0, 0, 0, 0, 0, 0}, {500, 0, 0, 500, 0, 0, 0, 0, 0, 0}}));
  auto reader = make_cpu_reader(tree.roots());
  Snapshot a, b, c;
  reader->read(a, 0);
  tree.write("proc/stat", stat_text({{10, 0, 0, 10, 0, 0, 0, 0, 0, 0}, {10, 0, 0, 10, 0, 0, 0, 0, 0, 0}}));
  reader->read(b, 1);
  EXPECT_FALSE(b.cpu.usage_ratio.has_value());
  EXPECT_TRUE(b.cpu.per_core_ratio.empty());
  tree.write("proc/stat", stat_text({{20, 0, 0, 20, 0, 0, 0, 0, 0, 0}}));  // cpu1 went offline
  reader->read(c, 2);
  EXPECT_EQ(c.cpu.cores, 1);
  EXPECT_TRUE(c.cpu.per_core_ratio.empty());
}

TEST(TelemetryCpuReader, MissingProcStatIsUnavailableWithTheFile) {
  FixtureTree tree("bare_vm");
  tree.remove("proc/stat");
  Snapshot s;
  make_cpu_reader(tree.roots())->read(s, 0);
  EXPECT_FALSE(s.cpu.available);
  EXPECT_NE(s.cpu.reason.find("proc/stat"), std::string::npos) << s.cpu.reason;
}

TEST(TelemetryUptimeReader, ReadsSecondsSinceBoot) {
  FixtureTree tree("rpi5");
  Snapshot s;
  make_uptime_reader(tree.roots())->read(s, 0);
  ASSERT_TRUE(s.uptime_s);
  EXPECT_DOUBLE_EQ(*s.uptime_s, 52311.20);
  tree.write("proc/uptime", "garbage");
  Snapshot t;
  make_uptime_reader(tree.roots())->read(t, 0);
  EXPECT_FALSE(t.uptime_s.has_value());
}

}  // namespace
}  // namespace edgeml::telemetry
