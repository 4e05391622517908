// Fans: hwmon pwmN / fanN_input / rpm, and the L4T 32 pwm-fan folder.
#include <gtest/gtest.h>

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

TEST(TelemetryFanReader, OrinPwmAndItsSeparateTachometerAreOneFan) {
  FixtureTree tree("jetson_orin_jp5");
  auto s = read_once(*make_fan_reader(tree.roots()));
  ASSERT_TRUE(s.fans.available) << s.fans.reason;
  ASSERT_EQ(s.fans.fans.size(), 1u);
  EXPECT_EQ(s.fans.fans[0].fan, "pwmfan");
  EXPECT_DOUBLE_EQ(*s.fans.fans[0].pwm_ratio, 80.0 / 255.0);
  EXPECT_DOUBLE_EQ(*s.fans.fans[0].rpm, 1925.0);  // from the pwm_tach chip's rpm
  EXPECT_TRUE(s.fans.unavailable_series.empty());
  tree.remove("sys/class/hwmon/hwmon3");  // a carrier board without the tachometer wire
  auto untached = read_once(*make_fan_reader(tree.roots()));
  EXPECT_FALSE(untached.fans.fans[0].rpm.has_value());
  EXPECT_NE(untached.fans.unavailable_series["pwmfan rpm"].find("no tachometer"), std::string::npos);
}

TEST(TelemetryFanReader, Pi5FanFollowsTheFilesBetweenSamples) {
  FixtureTree tree("rpi5");
  auto reader = make_fan_reader(tree.roots());
  auto a = read_once(*reader);
  ASSERT_EQ(a.fans.fans.size(), 1u);
  EXPECT_DOUBLE_EQ(*a.fans.fans[0].pwm_ratio, 75.0 / 255.0);
  EXPECT_DOUBLE_EQ(*a.fans.fans[0].rpm, 2905.0);
  tree.write("sys/class/hwmon/hwmon2/pwm1", 250);
  tree.write("sys/class/hwmon/hwmon2/fan1_input", 7010);
  auto b = read_once(*reader);
  EXPECT_DOUBLE_EQ(*b.fans.fans[0].pwm_ratio, 250.0 / 255.0);
  EXPECT_DOUBLE_EQ(*b.fans.fans[0].rpm, 7010.0);
}

TEST(TelemetryFanReader, NanoLegacyPwmFanUsesCurPwmAndItsCap) {
  FixtureTree tree("jetson_nano_l4t32");
  auto reader = make_fan_reader(tree.roots());
  auto off = read_once(*reader);
  ASSERT_TRUE(off.fans.available) << off.fans.reason;
  ASSERT_EQ(off.fans.fans.size(), 1u);
  EXPECT_EQ(off.fans.fans[0].fan, "pwm-fan");
  EXPECT_DOUBLE_EQ(*off.fans.fans[0].pwm_ratio, 0.0);  // stopped is a reading, not a missing value
  tree.write("sys/devices/pwm-fan/target_pwm", 128);
  tree.write("sys/devices/pwm-fan/cur_pwm", 64);  // still ramping up towards the target
  tree.write("sys/devices/pwm-fan/pwm_cap", 128);
  auto ramping = read_once(*reader);
  EXPECT_DOUBLE_EQ(*ramping.fans.fans[0].pwm_ratio, 0.5);
}

TEST(TelemetryFanReader, ABoardChipWithSeveralChannelsNamesEach) {
  FixtureTree tree("x86_rapl");
  const std::string chip = "sys/class/hwmon/hwmon5/";
  tree.write(chip + "name", "nct6775");
  tree.write(chip + "pwm1", 255);
  tree.write(chip + "pwm1_enable", 5);  // not a channel
  tree.write(chip + "fan1_input", 1180);
  tree.write(chip + "fan2_input", 0);
  auto s = read_once(*make_fan_reader(tree.roots()));
  ASSERT_EQ(s.fans.fans.size(), 2u);
  EXPECT_EQ(s.fans.fans[0].fan, "nct6775/1");
  EXPECT_DOUBLE_EQ(*s.fans.fans[0].pwm_ratio, 1.0);
  EXPECT_EQ(s.fans.fans[1].fan, "nct6775/2");
  EXPECT_FALSE(s.fans.fans[1].pwm_ratio.has_value());
  EXPECT_DOUBLE_EQ(*s.fans.fans[1].rpm, 0.0);
  EXPECT_EQ(s.fans.unavailable_series["nct6775/2 pwm_ratio"], "no PWM control (pwmN): a tachometer only");
  EXPECT_EQ(s.fans.unavailable_series.count("nct6775/1 rpm"), 0u);
}

TEST(TelemetryFanReader, NoFanIsUnavailableWithTheReason) {
  FixtureTree tree("bare_vm");
  auto s = read_once(*make_fan_reader(tree.roots()));
  EXPECT_FALSE(s.fans.available);
  EXPECT_NE(s.fans.reason.find("no fan"), std::string::npos) << s.fans.reason;
}

}  // namespace
}  // namespace edgeml::telemetry
