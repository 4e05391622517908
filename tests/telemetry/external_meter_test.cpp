// The external meter behind POST /energy: validation, monotonic timestamps, rate bound, silence, energy.
#include "telemetry/external_meter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/error.hpp"

namespace edgeml::telemetry {
namespace {
using nlohmann::json;
constexpr double T0 = 1'700'000'000.0;

std::string field_of(ExternalMeter& m, const json& body, double now = T0) {
  try {
    m.submit(body, now);
  } catch (const FieldError& e) {
    return e.field();
  }
  return "(accepted)";
}

TEST(TelemetryExternalMeter, AcceptedPowerReadingBecomesThePowerSection) {
  ExternalMeter m;
  Snapshot before;
  m.read(before, T0);
  EXPECT_FALSE(before.power.available);
  EXPECT_TRUE(before.power.reason.empty()) << "never posted: absent like a missing sensor";
  m.submit({{"power_w", 6.5}, {"ts", T0}, {"source", "um25c"}}, T0);
  Snapshot s;
  m.read(s, T0 + 1);
  ASSERT_TRUE(s.power.available);
  EXPECT_EQ(s.power.source, "external:um25c");
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 6.5);
  ASSERT_EQ(s.power.rails.size(), 1u);
  EXPECT_EQ(s.power.rails[0].rail, "um25c");
}

TEST(TelemetryExternalMeter, BadBodiesNameTheField) {
  ExternalMeter m;
  EXPECT_EQ(field_of(m, json::array()), "body");
  EXPECT_EQ(field_of(m, {{"ts", T0}, {"source", "x"}}), "power_w");                                    // neither
  EXPECT_EQ(field_of(m, {{"power_w", 1}, {"energy_j", 2}, {"ts", T0}, {"source", "x"}}), "energy_j");  // both
  EXPECT_EQ(field_of(m, {{"power_w", "5"}, {"ts", T0}, {"source", "x"}}), "power_w");                  // string
  EXPECT_EQ(field_of(m, {{"power_w", -1}, {"ts", T0}, {"source", "x"}}), "power_w");                   // negative
  EXPECT_EQ(field_of(m, {{"power_w", 5e6}, {"ts", T0}, {"source", "x"}}), "power_w");                  // mW posted as W
  EXPECT_EQ(field_of(m, {{"energy_j", true}, {"ts", T0}, {"source", "x"}}), "energy_j");
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"source", "x"}}), "ts");  // missing
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", "now"}, {"source", "x"}}), "ts");
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0 * 1000}, {"source", "x"}}), "ts");  // milliseconds
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0 + 60}, {"source", "x"}}), "ts");    // future
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0 - 3600}, {"source", "x"}}), "ts");  // stale
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0}}), "source");
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0}, {"source", 7}}), "source");
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0}, {"source", ""}}), "source");
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0}, {"source", "a\nb"}}), "source");
  Snapshot s;
  m.read(s, T0);
  EXPECT_FALSE(s.power.available) << "no bad reading may have been kept";
}

TEST(TelemetryExternalMeter, TimestampsMustStrictlyIncrease) {
  ExternalMeter m;
  m.submit({{"power_w", 5}, {"ts", T0}, {"source", "plug"}}, T0);
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0}, {"source", "plug"}}, T0 + 0.1), "ts");
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0 - 0.5}, {"source", "plug"}}, T0 + 0.1), "ts");
  EXPECT_EQ(field_of(m, {{"power_w", 5}, {"ts", T0 + 0.2}, {"source", "plug"}}, T0 + 0.2), "(accepted)");
}

TEST(TelemetryExternalMeter, EnergyCounterMustNotDecrease) {
  ExternalMeter m;
  m.submit({{"energy_j", 100.0}, {"ts", T0}, {"source", "plug"}}, T0);
  EXPECT_EQ(field_of(m, {{"energy_j", 99.0}, {"ts", T0 + 1}, {"source", "plug"}}, T0 + 1), "energy_j");
}

TEST(TelemetryExternalMeter, RateIsBoundedPerSecond) {
  ExternalMeter m;
  double now = T0;
  for (int i = 0; i < 50; ++i) m.submit({{"power_w", 5}, {"ts", T0 + i * 0.01}, {"source", "fast"}}, now + i * 0.01);
  try {
    m.submit({{"power_w", 5}, {"ts", T0 + 0.6}, {"source", "fast"}}, now + 0.6);
    FAIL() << "the 51st submission within one second was accepted";
  } catch (const RateLimitError& e) {
    EXPECT_NE(std::string(e.what()).find("50 per second"), std::string::npos) << e.what();
  }
  // Once the window has moved on, readings are accepted again.
  EXPECT_NO_THROW(m.submit({{"power_w", 5}, {"ts", T0 + 1.5}, {"source", "fast"}}, now + 1.5));
}

TEST(TelemetryExternalMeter, SilentMeterBecomesUnavailableWithHowLong) {
  ExternalMeter m({.silence_s = 10.0});
  m.submit({{"power_w", 5}, {"ts", T0}, {"source", "plug"}}, T0);
  Snapshot fresh, silent;
  m.read(fresh, T0 + 9);
  EXPECT_TRUE(fresh.power.available);
  m.read(silent, T0 + 12.4);
  EXPECT_FALSE(silent.power.available);
  EXPECT_EQ(silent.power.reason, "external meter silent for 12 s");
  EXPECT_FALSE(silent.power.total_watts.has_value());
}

TEST(TelemetryExternalMeter, PowerReadingsAreIntegratedByTrapezoidOverTheirTimestamps) {
  ExternalMeter m;
  m.submit({{"power_w", 10.0}, {"ts", T0}, {"source", "plug"}}, T0);
  m.submit({{"power_w", 20.0}, {"ts", T0 + 1}, {"source", "plug"}}, T0 + 1);
  m.submit({{"power_w", 20.0}, {"ts", T0 + 3}, {"source", "plug"}}, T0 + 3);
  Snapshot s;
  m.read(s, T0 + 3);
  EXPECT_DOUBLE_EQ(*s.power.energy_counter_joules, 15.0 + 40.0);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 20.0);
}

TEST(TelemetryExternalMeter, EnergyReadingsGivePowerFromDeltas) {
  ExternalMeter m;
  m.submit({{"energy_j", 1000.0}, {"ts", T0}, {"source", "plug"}}, T0);
  Snapshot first;
  m.read(first, T0);
  EXPECT_TRUE(first.power.available);
  EXPECT_FALSE(first.power.total_watts.has_value());
  m.submit({{"energy_j", 1018.0}, {"ts", T0 + 2}, {"source", "plug"}}, T0 + 2);
  Snapshot s;
  m.read(s, T0 + 2);
  EXPECT_DOUBLE_EQ(*s.power.total_watts, 9.0);
  EXPECT_DOUBLE_EQ(*s.power.energy_counter_joules, 18.0);
}

TEST(TelemetryExternalMeter, ConcurrentSubmitsAndReadsStayConsistent) {
  ExternalMeter m({.max_per_second = 1000000});
  std::atomic<int> accepted{0}, rejected{0};
  std::atomic<long> tick{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        double ts = T0 + double(++tick) * 1e-3;
        try {
          m.submit({{"power_w", 5.0}, {"ts", ts}, {"source", "plug"}}, T0 + 1);
          ++accepted;
        } catch (const FieldError& e) {
          EXPECT_EQ(e.field(), "ts");  // only an out-of-order arrival may be refused
          ++rejected;
        }
        Snapshot s;
        m.read(s, T0 + 1);
        EXPECT_TRUE(s.power.available);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted + rejected, 2000);
  EXPECT_GT(accepted.load(), 0);
}

}  // namespace
}  // namespace edgeml::telemetry
