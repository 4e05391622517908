// The battery policy applied to a real agent core in-process: a model store with real ONNX variants, the model
// manager's activation with its health check (ONNX Runtime), the inference loop, and a laptop's power_supply tree
// read by the telemetry Collector while this test lowers and raises the charge. The active variant follows with no
// flapping, the agent's history says each switch was the policy's, and a variant that fails its health check leaves
// the current one active.
#include "agent/battery_switcher.hpp"

#include <gtest/gtest.h>

#include "agent/model_host.hpp"
#include "agent_test_support.hpp"
#include "common/sha256.hpp"
#include "fixture_tree.hpp"
#include "telemetry/collector.hpp"

namespace edgeml::agent {
namespace {

ModelRef store_bytes(const ModelStore& s, const std::string& name, const std::string& bytes) {
  Expected e{name, sha256_hex(bytes), bytes.size()};
  auto f = s.begin(e);
  f->write(bytes.data(), bytes.size());
  return s.commit(std::move(f), e);
}

struct Core {
  agent_test::TempDir dir;
  ManualClock clock;
  ModelStore store{dir.path, StoreLimits{3, 0, 64 << 20}};
  ModelHost host{"ort", 1};
  ModelManager manager{store, host, clock};
  InferenceLoop loop{host, clock, 50};
  telemetry::testing::FixtureTree tree{"laptop_battery"};  // BAT0 at 87%, discharging, AC offline
  telemetry::Collector collector{tree.roots(), clock};

  std::string active() const {
    auto s = manager.state();
    return s.active ? s.active->name : "";
  }
  void charge(BatterySwitcher& sw, int percent) {
    tree.write("sys/class/power_supply/BAT0/capacity", percent);
    clock.advance(10);
    sw.on_sample(collector.sample(), AgentFacts{});
  }
};

const char* kPolicy = R"({"rules": [{"battery_above": 60, "model": "large"}, {"battery_above": 20, "model": "small"},
                                    {"battery_above": 0, "pause": true}], "hysteresis_pct": 5})";

TEST(BatterySwitcher, TheActiveVariantFollowsTheChargeThroughTheRealActivationPath) {
  Core c;
  store_bytes(c.store, "large", agent_test::matmul_onnx(4, 256));
  store_bytes(c.store, "small", agent_test::tiny_onnx(1.0f));
  c.loop.start();
  BatterySwitcher sw(parse_battery_policy(nlohmann::json::parse(kPolicy)), c.store, c.manager, c.loop, c.clock);

  std::vector<std::string> seen;  // the active model (or "paused") after each sample, when it changed
  auto note = [&] {
    std::string now = sw.paused() ? "paused" : c.active();
    if (seen.empty() || seen.back() != now) seen.push_back(now);
  };
  c.charge(sw, 87);
  note();
  for (int p : {70, 61, 60, 61, 59, 63, 65, 64, 40, 21, 20, 21, 19, 24, 25, 24, 26, 50, 64, 66, 62}) {
    c.charge(sw, p);
    note();
  }
  c.loop.stop();
  EXPECT_EQ(seen, (std::vector<std::string>{"large", "small", "paused", "small", "large"}));

  // The agent's own history: each switch went through the activation path and says it was the policy's.
  int policy_switches = 0;
  for (const auto& e : c.manager.state().history) policy_switches += e.event == "policy_switch";
  EXPECT_EQ(policy_switches, 3);  // large, small, large (pause and resume do not change the model)
  nlohmann::json status = sw.status_json();
  EXPECT_EQ(status["paused"], false);
  EXPECT_EQ(status["battery_percent"], 62);
  EXPECT_EQ(status["rule_in_force"]["index"], 0);
  EXPECT_EQ(status["events"].size(), 5u);
  EXPECT_EQ(status["events"][2]["event"], "pause");
  EXPECT_EQ(status["events"][2]["reason"], "battery 20% (on battery) at or below 20%, so: rule 3 (pause)");

  // The controller pushes a policy that keeps the large model only above 70%: at 62% the agent steps down.
  sw.set_policy(parse_battery_policy(nlohmann::json::parse(
      R"({"rules": [{"battery_above": 70, "model": "large"}, {"model": "small"}], "hysteresis_pct": 5})")));
  c.charge(sw, 62);
  EXPECT_EQ(c.active(), "small");
  EXPECT_EQ(sw.status_json()["policy"]["rules"][0]["battery_above"], 70);
}

TEST(BatterySwitcher, AVariantThatFailsItsHealthCheckLeavesTheCurrentOneActive) {
  Core c;
  store_bytes(c.store, "small", agent_test::tiny_onnx(1.0f));
  store_bytes(c.store, "large", "this is not a model");  // stored (sha256 matches) but cannot load
  BatterySwitcher sw(parse_battery_policy(nlohmann::json::parse(kPolicy)), c.store, c.manager, c.loop, c.clock);
  c.charge(sw, 50);
  EXPECT_EQ(c.active(), "small");
  c.charge(sw, 90);  // wants large: its activation fails, small stays
  EXPECT_EQ(c.active(), "small");
  ASSERT_TRUE(c.manager.last_failure());
  EXPECT_EQ(c.manager.last_failure()->name, "large");
  c.charge(sw, 91);  // not retried at once
  nlohmann::json status = sw.status_json();
  const auto& events = status["events"];
  ASSERT_EQ(events.size(), 3u);  // activate small, activate large, failed large
  EXPECT_EQ(events[2]["event"], "failed");
  EXPECT_NE(events[2]["reason"].get<std::string>().find("; small@"), std::string::npos) << events[2]["reason"];
}

}  // namespace
}  // namespace edgeml::agent
