// The agent's /telemetry answer -> a wire sample. The answer is built the way the agent builds it: the real Collector
// over a fixture copy of a Jetson Nano's /sys and /proc, telemetry::to_json, plus "energy_model" and "inference".
#include "wire/agent_telemetry.hpp"

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "telemetry/collector.hpp"
#include "telemetry/fixture_tree.hpp"
#include "telemetry/json.hpp"

namespace edgeml::wire {
namespace {

nlohmann::json agent_answer(const telemetry::Snapshot& s) {
  auto j = telemetry::to_json(s);
  j["energy_model"] = {{"available", true},    {"model", "mobilenet_v2"}, {"per_inference_j", 0.021},
                       {"idle_power_w", 0.81}, {"duty_cycle", 0.4},       {"energy_per_hour_mwh", 260.5}};
  j["inference"] = {{"count", 120}, {"latency_p50_s", 0.048}, {"throughput_per_s", 19.5}};
  return j;
}

TEST(WireAgentTelemetry, JetsonNanoAnswerBecomesASample) {
  telemetry::testing::FixtureTree tree("jetson_nano_l4t32");
  ManualClock clock;
  telemetry::Collector collector(tree.roots(), clock);
  collector.sample();
  clock.advance(1.0);
  auto snap = collector.sample();
  auto answer = agent_answer(snap);

  auto out = sample_from_agent_telemetry(answer, false);
  EXPECT_TRUE(out.out_of_range.empty());
  const auto& s = out.sample;
  EXPECT_EQ(s.seq, 0u);  // the spool numbers it
  EXPECT_DOUBLE_EQ(s.t, clock.now_s());
  ASSERT_TRUE(s.power_w);
  EXPECT_DOUBLE_EQ(*s.power_w, 0.933);  // POM_5V_IN of the fixture (a tegrastats capture)
  ASSERT_TRUE(s.temperature_c);
  EXPECT_DOUBLE_EQ(*s.temperature_c, *snap.thermal.max_celsius);
  EXPECT_DOUBLE_EQ(*s.memory_used_ratio, snap.memory.used_ratio);
  EXPECT_DOUBLE_EQ(*s.storage_used_ratio, snap.storage.used_ratio);
  EXPECT_EQ(s.cpu_usage_ratio, snap.cpu.usage_ratio);
  EXPECT_DOUBLE_EQ(*s.energy_per_inference_j, 0.021);
  EXPECT_DOUBLE_EQ(*s.inference_per_s, 19.5);
  EXPECT_DOUBLE_EQ(*s.inference_latency_p50_s, 0.048);
  EXPECT_EQ(s.active_model, "mobilenet_v2");
  // The agent's energy definitions travel with the gross figure (the controller's compare view and /metrics).
  EXPECT_DOUBLE_EQ(*s.idle_power_w, 0.81);
  EXPECT_DOUBLE_EQ(*s.duty_cycle, 0.4);
  EXPECT_DOUBLE_EQ(*s.energy_per_hour_mwh, 260.5);
  EXPECT_FALSE(s.detail);
  answer["energy_model"]["duty_cycle"] = 1.5;  // a share of time above 1: broken, left null and named
  auto broken = sample_from_agent_telemetry(answer, false);
  EXPECT_FALSE(broken.sample.duty_cycle);
  EXPECT_EQ(broken.out_of_range, std::vector<std::string>{"duty_cycle=1.5"});

  auto with_detail = sample_from_agent_telemetry(answer, true).sample;
  ASSERT_TRUE(with_detail.detail);
  EXPECT_EQ((*with_detail.detail)["power"]["source"], "ina3221x");
}

TEST(WireAgentTelemetry, BareVmHasNoPowerAndABrokenReadingIsNamed) {
  telemetry::testing::FixtureTree tree("bare_vm");
  ManualClock clock;
  telemetry::Collector collector(tree.roots(), clock);
  auto answer = telemetry::to_json(collector.sample());
  answer["memory"]["used_ratio"] = 3.5;  // a broken reading
  auto out = sample_from_agent_telemetry(answer, false);
  EXPECT_FALSE(out.sample.power_w);        // no source: null, not zero
  EXPECT_FALSE(out.sample.temperature_c);  // same
  EXPECT_FALSE(out.sample.memory_used_ratio);
  ASSERT_EQ(out.out_of_range.size(), 1u);
  EXPECT_EQ(out.out_of_range[0], "memory_used_ratio=3.5");
  EXPECT_FALSE(out.sample.active_model);

  answer.erase("timestamp_s");
  EXPECT_THROW(sample_from_agent_telemetry(answer, false), FieldError);
}

}  // namespace
}  // namespace edgeml::wire
