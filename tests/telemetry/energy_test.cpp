#include "telemetry/energy.hpp"

#include <gtest/gtest.h>

namespace edgeml::telemetry {
namespace {

TEST(TelemetryCounterDelta, PlainWrapAndReset) {
  EXPECT_DOUBLE_EQ(*counter_delta(100, 150, 1000.0), 50);
  EXPECT_DOUBLE_EQ(*counter_delta(990, 15, 1000.0), 25);  // wrapped at 1000
  EXPECT_FALSE(counter_delta(990, 15, std::nullopt).has_value()) << "no range known: a reset, not a wrap";
  EXPECT_FALSE(counter_delta(2000, 15, 1000.0).has_value()) << "previous above the range cannot have wrapped";
}

TEST(TelemetryEnergyIntegrator, TrapezoidOverPowerSamples) {
  EnergyIntegrator e;
  e.add_power(0, 0.0);
  e.add_power(2, 10.0);  // ramp 0 -> 10 W over 2 s: 10 J
  e.add_power(3, 10.0);  // + 10 J
  EXPECT_DOUBLE_EQ(e.joules(), 20.0);
  EXPECT_DOUBLE_EQ(e.seconds(), 3.0);
  EXPECT_DOUBLE_EQ(*e.average_watts(), 20.0 / 3.0);
  EXPECT_EQ(e.method(), "trapezoid");
}

TEST(TelemetryEnergyIntegrator, NeverIntegratesAcrossAGapOrALongSilence) {
  EnergyIntegrator e(30.0);
  e.add_power(0, 5.0);
  e.add_power(1, 5.0);  // 5 J
  e.gap();
  e.add_power(100, 50.0);
  e.add_power(101, 50.0);  // 50 J
  e.add_power(200, 50.0);  // 99 s later: more than max_gap, not integrated
  EXPECT_DOUBLE_EQ(e.joules(), 55.0);
  EXPECT_DOUBLE_EQ(e.seconds(), 2.0);
}

TEST(TelemetryEnergyIntegrator, CounterDeltasAndSourceChanges) {
  EnergyIntegrator e;
  e.add_counter(0, 100.0, "rapl");
  e.add_counter(1, 112.0, "rapl");      // 12 J
  e.add_counter(2, 3.0, "external:a");  // another source: no delta across
  e.add_counter(3, 5.0, "external:a");  // 2 J
  EXPECT_DOUBLE_EQ(e.joules(), 14.0);
  EXPECT_EQ(e.method(), "counter");
  e.add_power(4, 1.0);
  e.add_power(5, 1.0);
  EXPECT_EQ(e.method(), "counter+trapezoid");
  EXPECT_DOUBLE_EQ(e.joules(), 15.0);
}

TEST(TelemetryEnergyIntegrator, FromSnapshotsPrefersCountersAndSkipsUnavailable) {
  EnergyIntegrator e;
  auto snap = [](double t, bool avail, std::optional<double> w, std::optional<double> counter) {
    Snapshot s;
    s.timestamp_s = t;
    s.power.available = avail;
    s.power.source = "x";
    s.power.total_watts = w;
    s.power.energy_counter_joules = counter;
    return s;
  };
  e.add(snap(0, true, 4.0, std::nullopt));
  e.add(snap(1, true, 6.0, std::nullopt));  // 5 J
  e.add(snap(2, false, std::nullopt, std::nullopt));
  e.add(snap(3, true, 100.0, std::nullopt));  // after the hole: nothing yet
  EXPECT_DOUBLE_EQ(e.joules(), 5.0);
  EXPECT_FALSE(EnergyIntegrator().measured());
  EXPECT_FALSE(EnergyIntegrator().average_watts().has_value());
}

}  // namespace
}  // namespace edgeml::telemetry
