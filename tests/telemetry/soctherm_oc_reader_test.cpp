// Jetson over-current alarms (hwmon soctherm_oc): counters since boot, active when they rise.
#include <gtest/gtest.h>

#include "fixture_tree.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kOc = "sys/class/hwmon/hwmon4/";

Snapshot read_once(Reader& r) {
  Snapshot s;
  r.read(s, 0);
  return s;
}

TEST(TelemetrySocthermOcReader, OrinAlarmsQuietSinceBoot) {
  FixtureTree tree("jetson_orin_jp5");
  auto s = read_once(*make_soctherm_oc_reader(tree.roots()));
  ASSERT_TRUE(s.throttle.available);
  EXPECT_EQ(s.throttle.source, "soctherm_oc");
  ASSERT_EQ(s.throttle.flags.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const auto& f = s.throttle.flags[i];
    EXPECT_EQ(f.flag, "over_current");
    EXPECT_EQ(f.source, "soctherm_oc oc" + std::to_string(i + 1));
    EXPECT_FALSE(f.active_now);
    EXPECT_FALSE(f.occurred);
    EXPECT_DOUBLE_EQ(*f.events, 0.0);
  }
}

TEST(TelemetrySocthermOcReader, ARisingCounterIsActiveForThatSampleAndRemembered) {
  FixtureTree tree("jetson_orin_jp5");
  auto reader = make_soctherm_oc_reader(tree.roots());
  read_once(*reader);
  tree.write(kOc + "oc3_event_cnt", 4);  // instantaneous over-current while a model started
  auto during = read_once(*reader);
  EXPECT_TRUE(during.throttle.flags[2].active_now);
  EXPECT_TRUE(during.throttle.flags[2].occurred);
  EXPECT_DOUBLE_EQ(*during.throttle.flags[2].events, 4.0);
  EXPECT_FALSE(during.throttle.flags[0].active_now);
  auto after = read_once(*reader);
  EXPECT_FALSE(after.throttle.flags[2].active_now);
  EXPECT_TRUE(after.throttle.flags[2].occurred);
}

TEST(TelemetrySocthermOcReader, OlderDriverCountsInIrqCnt) {
  FixtureTree tree("jetson_orin_jp5");
  for (int i = 1; i <= 3; ++i) tree.remove(kOc + "oc" + std::to_string(i) + "_event_cnt");
  tree.write(kOc + "oc1_irq_cnt", 2);
  auto s = read_once(*make_soctherm_oc_reader(tree.roots()));
  ASSERT_EQ(s.throttle.flags.size(), 1u);
  EXPECT_TRUE(s.throttle.flags[0].occurred);
}

TEST(TelemetrySocthermOcReader, AbsentElsewhere) {
  for (const char* t : {"jetson_nano_l4t32", "rpi5", "bare_vm"}) {
    FixtureTree tree(t);
    auto s = read_once(*make_soctherm_oc_reader(tree.roots()));
    EXPECT_FALSE(s.throttle.available) << t;
    EXPECT_TRUE(s.throttle.flags.empty());
  }
}

}  // namespace
}  // namespace edgeml::telemetry
