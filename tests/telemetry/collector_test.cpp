// The Collector over whole fixture trees: what each device reports, power-source choice, energy since start.
#include "telemetry/collector.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "common/clock.hpp"
#include "fixture_tree.hpp"

namespace edgeml::telemetry {
namespace {
using testing::FixtureTree;
const std::string kNanoIio = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/";

TEST(TelemetryCollector, BareVmSaysPowerAndTemperatureAreUnavailableAndWhy) {
  FixtureTree tree("bare_vm");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  EXPECT_DOUBLE_EQ(s.timestamp_s, clock.now_s());
  EXPECT_TRUE(s.cpu.available);
  EXPECT_EQ(s.cpu.cores, 2);
  EXPECT_TRUE(s.memory.available);
  EXPECT_TRUE(s.storage.available);
  ASSERT_TRUE(s.uptime_s);
  EXPECT_FALSE(s.thermal.available);
  EXPECT_EQ(s.thermal.reason, kNoTemperatureReason);
  EXPECT_FALSE(s.power.available);
  EXPECT_EQ(s.power.reason,
            "no power sensor found (looked for: ina3221x iio, hwmon ina3221/power*, powercap rapl, Raspberry Pi 5 PMIC "
            "via vcgencmd, external meter)");
  EXPECT_FALSE(s.power.total_watts.has_value());
  EXPECT_TRUE(s.power.rails.empty());
  EXPECT_FALSE(s.energy.available);
  EXPECT_FALSE(s.energy.total_joules.has_value());
  EXPECT_FALSE(s.thermal.max_celsius.has_value());
}

TEST(TelemetryCollector, Rpi5TemperaturesPmicPowerFanAndFirmwareThrottleFlags) {
  FixtureTree tree("rpi5");  // with its vcgencmd stand-in
  ManualClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  ASSERT_TRUE(s.thermal.available);
  EXPECT_EQ(s.thermal.readings.size(), 3u);  // thermal_zone0, hwmon cpu_thermal, hwmon rp1_adc
  EXPECT_DOUBLE_EQ(*s.thermal.max_celsius, 55.428);
  EXPECT_EQ(s.power.source, "pmic_adc");
  EXPECT_TRUE(s.energy.available);
  ASSERT_EQ(s.cpu_frequency.cores.size(), 4u);
  ASSERT_EQ(s.fans.fans.size(), 1u);
  ASSERT_TRUE(s.throttle.available);
  EXPECT_EQ(s.throttle.source, "thermal trip points, vcgencmd get_throttled");
  EXPECT_EQ(s.throttle.throttled_now, false);
  tree.write("bin/get_throttled.txt", "throttled=0x50005");
  EXPECT_EQ(c.sample().throttle.throttled_now, true);
  // Not a Jetson: each Jetson section says so.
  EXPECT_FALSE(s.gpu.available);
  EXPECT_FALSE(s.emc.available);
  EXPECT_FALSE(s.power_mode.available);
  EXPECT_FALSE(s.power_supply.available);
}

TEST(TelemetryCollector, BareVmGivesTheReasonForEverySectionItLacks) {
  FixtureTree tree("bare_vm");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  const Availability* lacking[] = {&s.cpu_frequency, &s.gpu,      &s.emc,         &s.fans,
                                   &s.power_mode,    &s.throttle, &s.power_supply};
  for (const Availability* a : lacking) {
    EXPECT_FALSE(a->available);
    EXPECT_FALSE(a->reason.empty());
  }
  EXPECT_EQ(s.throttle.reason, kNoThrottleReason);
  EXPECT_FALSE(s.throttle.throttled_now.has_value());
}

TEST(TelemetryCollector, OrinShowsWhatJtopShows) {
  FixtureTree tree("jetson_orin_jp5");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  EXPECT_EQ(s.cpu_frequency.cores.size(), 6u);
  EXPECT_DOUBLE_EQ(*s.gpu.load_ratio, 0.127);
  EXPECT_DOUBLE_EQ(*s.emc.load_ratio, 0.05);
  EXPECT_DOUBLE_EQ(*s.fans.fans[0].rpm, 1925.0);
  EXPECT_EQ(s.power_mode.name, "15W");
  EXPECT_EQ(s.power_mode.jetson_clocks_active, false);
  EXPECT_EQ(s.throttle.source, "thermal trip points, soctherm_oc");
  EXPECT_EQ(s.throttle.throttled_now, false);
  tree.write("sys/class/hwmon/hwmon4/oc2_event_cnt", 1);
  clock.advance(1);
  Snapshot t = c.sample();
  EXPECT_EQ(t.throttle.throttled_now, true);
  tree.write("sys/class/thermal/thermal_zone1/temp", 99500);  // gpu-thermal over its passive trip
  clock.advance(1);
  Snapshot u = c.sample();
  EXPECT_EQ(u.throttle.throttled_now, true) << "the over-current alarm is quiet again, the GPU zone is hot";
  ASSERT_EQ(u.throttle.flags.size(), 4u);
  EXPECT_EQ(u.throttle.flags[0].source, "thermal_zone1 gpu-thermal passive trip 99 C");
}

TEST(TelemetryCollector, AFailingThrottleSourceIsPartOfTheReasonOrOfTheSection) {
  FixtureTree tree("rpi5");
  std::filesystem::remove(tree.path("bin/get_throttled.txt"));  // the stand-in's cat fails: exit status 1
  ManualClock clock;
  Collector c(tree.roots(), clock);
  Snapshot with_trips = c.sample();
  ASSERT_TRUE(with_trips.throttle.available) << "the thermal trip points still watch";
  EXPECT_NE(with_trips.throttle.unavailable_series["vcgencmd get_throttled"].find("exit status 1"), std::string::npos);
  for (int i = 0; i < 5; ++i) tree.remove("sys/class/thermal/thermal_zone0/trip_point_" + std::to_string(i) + "_temp");
  Snapshot without = c.sample();
  EXPECT_FALSE(without.throttle.available);
  EXPECT_EQ(without.throttle.reason.rfind(kNoThrottleReason, 0), 0u) << without.throttle.reason;
  EXPECT_NE(without.throttle.reason.find("; vcgencmd get_throttled: "), std::string::npos) << without.throttle.reason;
}

TEST(TelemetryCollector, NanoCpuPowerAndTrapezoidEnergyAcrossSamples) {
  FixtureTree tree("jetson_nano_l4t32");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  Snapshot a = c.sample();
  ASSERT_TRUE(a.power.available);
  EXPECT_DOUBLE_EQ(*a.power.total_watts, 0.933);
  EXPECT_DOUBLE_EQ(*a.energy.total_joules, 0.0);
  EXPECT_FALSE(a.cpu.usage_ratio.has_value());

  // One second later: POM_5V_IN rose to 1433 mW and each core did 60 busy + 40 idle ticks.
  tree.write(kNanoIio + "in_power0_input", 1433);
  std::string stat = "cpu  1000 0 0 1000 0 0 0 0 0 0\n";
  for (int i = 0; i < 4; ++i) stat += "cpu" + std::to_string(i) + " 250 0 0 250 0 0 0 0 0 0\n";
  tree.write("proc/stat", stat);
  clock.advance(1.0);
  c.sample();
  stat = "cpu  1240 0 0 1160 0 0 0 0 0 0\n";
  for (int i = 0; i < 4; ++i) stat += "cpu" + std::to_string(i) + " 310 0 0 290 0 0 0 0 0 0\n";
  tree.write("proc/stat", stat);
  clock.advance(2.0);
  Snapshot b = c.sample();
  ASSERT_TRUE(b.cpu.usage_ratio);
  EXPECT_DOUBLE_EQ(*b.cpu.usage_ratio, 0.6);
  ASSERT_EQ(b.cpu.per_core_ratio.size(), 4u);
  EXPECT_DOUBLE_EQ(b.cpu.per_core_ratio[3], 0.6);
  EXPECT_DOUBLE_EQ(*b.power.total_watts, 1.433);
  // Trapezoid: (0.933 + 1.433) / 2 * 1 s + 1.433 * 2 s.
  EXPECT_NEAR(*b.energy.total_joules, 1.183 + 2.866, 1e-12);
  EXPECT_EQ(b.energy.method, "trapezoid");
  EXPECT_EQ(b.energy.source, "ina3221x");
}

TEST(TelemetryCollector, OrinDropsOfflineSensorsAndUsesVddIn) {
  FixtureTree tree("jetson_orin_jp5");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  for (const auto& t : s.thermal.readings) EXPECT_GT(t.celsius, -40.0) << t.sensor;
  EXPECT_EQ(s.power.source, "hwmon:ina3221");
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 5.072 * 1.032);
}

TEST(TelemetryCollector, RaplEnergyComesFromTheCounterAcrossAWrap) {
  FixtureTree tree("x86_rapl");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  c.sample();
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", 19000000);  // wrapped
  clock.advance(1.0);
  Snapshot b = c.sample();
  double wrapped_j = (262143328850.0 - 262142000000.0 + 19000000.0) / 1e6;
  EXPECT_NEAR(*b.power.total_watts, wrapped_j, 1e-9);
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", 29000000);  // +10 J
  clock.advance(1.0);
  Snapshot d = c.sample();
  EXPECT_NEAR(*d.energy.total_joules, wrapped_j + 10.0, 1e-9);
  EXPECT_EQ(d.energy.method, "counter");
}

TEST(TelemetryCollector, FreshExternalMeterWinsAndOnboardReturnsWhenItFallsSilent) {
  FixtureTree tree("jetson_nano_l4t32");
  ManualClock clock;
  Collector c(tree.roots(), clock, {.silence_s = 10.0});
  c.meter().submit({{"power_w", 2.5}, {"ts", clock.now_s()}, {"source", "wall"}}, clock.now_s());
  Snapshot s = c.sample();
  EXPECT_EQ(s.power.source, "external:wall");
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 2.5);
  clock.advance(12.0);
  Snapshot t = c.sample();
  EXPECT_EQ(t.power.source, "ina3221x");
  EXPECT_DOUBLE_EQ(*t.power.total_watts, 0.933);
}

TEST(TelemetryCollector, SilentMeterOnABareVmIsPartOfTheReason) {
  FixtureTree tree("bare_vm");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  c.meter().submit({{"power_w", 2.5}, {"ts", clock.now_s()}, {"source", "wall"}}, clock.now_s());
  EXPECT_TRUE(c.sample().power.available);
  clock.advance(12.0);
  Snapshot s = c.sample();
  EXPECT_FALSE(s.power.available);
  EXPECT_NE(s.power.reason.find("no power sensor found"), std::string::npos);
  EXPECT_NE(s.power.reason.find("external meter silent for 12 s"), std::string::npos) << s.power.reason;
  // The joules measured while the meter was talking still count.
  EXPECT_TRUE(s.energy.available);
}

TEST(TelemetryCollector, SampleIsSafeFromManyThreads) {
  FixtureTree tree("jetson_orin_jp5");
  ManualClock clock;
  Collector c(tree.roots(), clock);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ok += c.sample().power.available ? 1 : 0;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 200);
}

}  // namespace
}  // namespace edgeml::telemetry
