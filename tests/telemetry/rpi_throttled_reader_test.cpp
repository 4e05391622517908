// Raspberry Pi throttling from `vcgencmd get_throttled` (the fixture's stand-in prints bin/get_throttled.txt).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

const ThrottleFlag& flag(const Snapshot& s, const std::string& name) {
  for (const auto& f : s.throttle.flags)
    if (f.flag == name) return f;
  throw std::runtime_error("no flag " + name);
}

void replace_command(const FixtureTree& tree, const std::string& script) {
  auto p = tree.path("bin/vcgencmd");
  std::ofstream(p, std::ios::trunc) << script;
  std::filesystem::permissions(p, std::filesystem::perms::owner_all);
}

TEST(TelemetryRpiThrottledReader, PastUnderVoltageAndThrottlingButNothingNow) {
  FixtureTree tree("rpi5");  // throttled=0x50000: bits 16 and 18
  auto s = read_once(*make_rpi_throttled_reader(tree.roots()));
  ASSERT_TRUE(s.throttle.available);
  EXPECT_EQ(s.throttle.source, "vcgencmd get_throttled");
  ASSERT_EQ(s.throttle.flags.size(), 4u);
  EXPECT_FALSE(flag(s, "under_voltage").active_now);
  EXPECT_TRUE(flag(s, "under_voltage").occurred);
  EXPECT_TRUE(flag(s, "throttled").occurred);
  EXPECT_FALSE(flag(s, "frequency_capped").occurred);
  EXPECT_FALSE(flag(s, "soft_temperature_limit").occurred);
  for (const auto& f : s.throttle.flags) EXPECT_FALSE(f.active_now) << f.flag;
}

TEST(TelemetryRpiThrottledReader, BitsFollowTheFirmwareBetweenSamples) {
  FixtureTree tree("rpi5");
  auto reader = make_rpi_throttled_reader(tree.roots());
  read_once(*reader);
  tree.write("bin/get_throttled.txt", "throttled=0x5000d");  // under-voltage, throttled and soft limit now
  auto s = read_once(*reader);
  EXPECT_TRUE(flag(s, "under_voltage").active_now);
  EXPECT_TRUE(flag(s, "throttled").active_now);
  EXPECT_TRUE(flag(s, "soft_temperature_limit").active_now);
  EXPECT_TRUE(flag(s, "soft_temperature_limit").occurred) << "active now has occurred";
  EXPECT_FALSE(flag(s, "frequency_capped").active_now);
}

TEST(TelemetryRpiThrottledReader, FailingOrGarbledCommandNamesItselfWithTheReason) {
  FixtureTree tree("rpi5");
  replace_command(tree, "#!/bin/sh\nexit 255\n");
  auto failed = read_once(*make_rpi_throttled_reader(tree.roots()));
  EXPECT_FALSE(failed.throttle.available);
  EXPECT_NE(failed.throttle.unavailable_series["vcgencmd get_throttled"].find("exit status 255"), std::string::npos);

  replace_command(tree, "#!/bin/sh\necho 'throttled=banana'\n");
  auto garbled = read_once(*make_rpi_throttled_reader(tree.roots()));
  EXPECT_FALSE(garbled.throttle.available);
  EXPECT_NE(garbled.throttle.unavailable_series["vcgencmd get_throttled"].find("unexpected answer"), std::string::npos);
}

TEST(TelemetryRpiThrottledReader, NoVcgencmdMeansNotAPi) {
  FixtureTree tree("jetson_nano_l4t32");  // roots().vcgencmd points at a file this tree does not have
  auto s = read_once(*make_rpi_throttled_reader(tree.roots()));
  EXPECT_FALSE(s.throttle.available);
  EXPECT_TRUE(s.throttle.unavailable_series.empty());
}

}  // namespace
}  // namespace edgeml::telemetry
