// Battery-aware switching: the policy file's checks, hysteresis at each threshold with a charge oscillating around
// it (no flapping), rules on the supply, a power/energy budget with measured figures replacing catalog ones, models
// that are missing or fail to activate, and a laptop's real power_supply tree read by the telemetry Collector while
// this test lowers and raises its charge.
#include "agent/battery_policy.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "fixture_tree.hpp"
#include "telemetry/collector.hpp"

namespace edgeml::agent {
namespace {

using nlohmann::json;

json issue_example() {
  return json::parse(R"({"rules": [{"battery_above": 60, "model": "large"}, {"battery_above": 20, "model": "small"},
                                   {"battery_above": 0, "pause": true}], "hysteresis_pct": 5})");
}

telemetry::Snapshot battery(double percent, std::optional<bool> on_battery = true) {
  telemetry::Snapshot s;
  s.power_supply.available = true;
  telemetry::BatteryReading b;
  b.name = "BAT0";
  b.capacity_percent = percent;
  b.status = on_battery.value_or(true) ? "Discharging" : "Charging";
  s.power_supply.batteries.push_back(b);
  s.power_supply.on_battery = on_battery;
  return s;
}

// The agent as the driver sees it: switches are applied at once (or refused, for models listed in broken).
struct FakeAgent {
  AgentFacts facts;
  std::vector<std::string> broken;
  std::vector<std::string> log;  // "activate large", "pause", "resume small"
  FakeAgent() { facts.installed = {"large", "small", "tiny"}; }

  void step(BatteryPolicyDriver& d, double now, const telemetry::Snapshot& s) {
    auto sw = d.decide(now, s, facts);
    if (!sw) return;
    if (sw->kind == Switch::Kind::activate && std::find(broken.begin(), broken.end(), sw->model) != broken.end()) {
      log.push_back("failed " + sw->model);
      d.failed(*sw, now, "health check failed");
      return;
    }
    log.push_back(std::string(to_string(sw->kind)) + (sw->model.empty() ? "" : " " + sw->model));
    if (sw->kind == Switch::Kind::pause) facts.paused = true;
    if (sw->kind == Switch::Kind::activate) {
      facts.active_model = sw->model;
      facts.paused = false;
    }
    if (sw->kind == Switch::Kind::resume) facts.paused = false;
  }
};

using Log = std::vector<std::string>;

std::string error_field(const json& j) {
  try {
    parse_battery_policy(j);
  } catch (const FieldError& e) {
    return e.field();
  }
  return "";
}

TEST(BatteryPolicyFile, TheIssueExampleParsesAndReadsBack) {
  BatteryPolicy p = parse_battery_policy(issue_example());
  ASSERT_EQ(p.rules.size(), 3u);
  EXPECT_EQ(p.rules[0].battery_above, 60);
  EXPECT_EQ(p.rules[0].model, "large");
  EXPECT_TRUE(p.rules[2].pause);
  EXPECT_EQ(p.hysteresis_pct, 5);
  EXPECT_EQ(parse_battery_policy(to_json(p)), p);
}

TEST(BatteryPolicyFile, EachWrongFieldIsNamed) {
  auto with = [](const std::string& ptr, json v) {
    json j = issue_example();
    j[json::json_pointer(ptr)] = v;
    return j;
  };
  EXPECT_EQ(error_field(with("/rules/1/battery_above", 120)), "rules[1].battery_above");
  EXPECT_EQ(error_field(with("/rules/1/battery_above", "20")), "rules[1].battery_above");
  EXPECT_EQ(error_field(with("/rules/0/pause", true)), "rules[0].model");  // model and pause
  EXPECT_EQ(error_field(with("/rules/2/pause", false)), "rules[2].pause");
  EXPECT_EQ(error_field(with("/rules/0/model", "../x")), "rules[0].model");
  EXPECT_EQ(error_field(with("/rules/0/batery_above", 1)), "rules[0].batery_above");
  EXPECT_EQ(error_field(with("/hysteresis_pct", 80)), "hysteresis_pct");
  EXPECT_EQ(error_field(with("/rules", json::array())), "rules");
  EXPECT_EQ(error_field(with("/budget", {{"power_w", 3}})), "variants");  // no figure for large and small
  EXPECT_EQ(error_field(with("/budget", {{"power_w", 3}, {"energy_wh_per_day", 5}})), "budget");
  EXPECT_EQ(error_field(with("/budget", {{"watts", 3}})), "budget.watts");
  EXPECT_EQ(error_field(with("/variants", {{{"model", "large"}}, {{"model", "large"}}})), "variants[1].model");
  // A rule after a lower threshold can never apply.
  json shadowed = json::parse(R"({"rules": [{"battery_above": 20, "model": "small"},
                                            {"battery_above": 60, "model": "large"}]})");
  EXPECT_EQ(error_field(shadowed), "rules[1]");
  json catch_all = json::parse(R"({"rules": [{"model": "small"}, {"battery_above": 60, "model": "large"}]})");
  EXPECT_EQ(error_field(catch_all), "rules[1]");
  json by_supply = json::parse(R"({"rules": [{"on_battery": false, "model": "large"},
                                             {"battery_above": 30, "model": "large"}, {"model": "small"}]})");
  EXPECT_EQ(error_field(by_supply), "");
  EXPECT_EQ(error_field(json::array()), "policy");
}

TEST(BatteryPolicyDriver, HysteresisAtEachThresholdWithAChargeOscillatingAroundIt) {
  BatteryPolicyDriver d(parse_battery_policy(issue_example()));
  FakeAgent agent;
  double t = 0;
  agent.step(d, t++, battery(87));
  EXPECT_EQ(agent.log, Log{"activate large"});
  // Around 60%: down once at 60 (at or below), back only above 65.
  for (double p : {61.0, 60.0, 61.0, 59.0, 62.0, 60.5, 64.0, 65.0, 63.0, 65.0}) agent.step(d, t++, battery(p));
  EXPECT_EQ(agent.log, (Log{"activate large", "activate small"}));
  agent.step(d, t++, battery(65.5));
  EXPECT_EQ(agent.log.back(), "activate large");
  agent.step(d, t++, battery(61));  // above 60 again: stays large
  EXPECT_EQ(agent.log.size(), 3u);
  // Around 20%: pause at 20, resume only above 25.
  for (double p : {40.0, 21.0, 20.0, 21.0, 19.0, 24.0, 25.0, 22.0}) agent.step(d, t++, battery(p));
  EXPECT_EQ(agent.log, (Log{"activate large", "activate small", "activate large", "activate small", "pause"}));
  agent.step(d, t++, battery(25.5));
  EXPECT_EQ(agent.log.back(), "resume small");  // small is still the active model: inference resumes
  EXPECT_FALSE(agent.facts.paused);
  // Below every threshold (0%: not above 0) the last rule still applies.
  agent.step(d, t++, battery(0));
  EXPECT_EQ(agent.log.back(), "pause");
  const auto& events = d.events();
  ASSERT_EQ(events.size(), agent.log.size());
  EXPECT_EQ(events[1].event, "activate");
  EXPECT_EQ(events[1].battery_percent, 60);
  EXPECT_EQ(events[1].reason, "battery 60% (on battery) at or below 60%, so: rule 2 (small)");
  EXPECT_EQ(events[2].reason, "battery 65.5% (on battery) above 60% + 5% hysteresis: rule 1 (large)");
  EXPECT_EQ(events.back().reason,
            "battery 0% (on battery) below every rule's threshold, so the last rule: rule 3 "
            "(pause)");
  json status = d.status_json();
  EXPECT_EQ(status["rule_in_force"]["index"], 2);
  EXPECT_EQ(status["battery_percent"], 0);
  EXPECT_EQ(status["events"].size(), events.size());
}

TEST(BatteryPolicyDriver, RulesOnTheSupplyFollowPluggingInAndOut) {
  BatteryPolicyDriver d(parse_battery_policy(json::parse(
      R"({"rules": [{"on_battery": false, "model": "large"}, {"battery_above": 50, "model": "small"},
                    {"model": "tiny"}], "hysteresis_pct": 5})")));
  FakeAgent agent;
  agent.step(d, 0, battery(30, true));
  agent.step(d, 1, battery(31, false));  // plugged in: large whatever the charge
  agent.step(d, 2, battery(32, false));
  agent.step(d, 3, battery(32, true));          // unplugged at 32%: below 50
  agent.step(d, 4, battery(32, std::nullopt));  // supply unknown: rules on it do not hold; no change
  EXPECT_EQ(agent.log, (Log{"activate tiny", "activate large", "activate tiny"}));
  EXPECT_EQ(d.events()[2].reason, "battery 32% (on battery) no longer on external power, so: rule 3 (tiny)");
}

TEST(BatteryPolicyDriver, ABudgetCapsTheModelAndMeasuredFiguresReplaceTheCatalogs) {
  // At 100 inferences/s: large 25 mJ -> 2.5 W, small 10 mJ -> 1 W, against a budget of 3 W.
  BatteryPolicyDriver d(parse_battery_policy(json::parse(
      R"({"rules": [{"battery_above": 50, "model": "large"}, {"model": "small"}], "hysteresis_pct": 5,
          "variants": [{"model": "small", "energy_per_inference_mj": 10},
                       {"model": "large", "energy_per_inference_mj": 25}],
          "budget": {"power_w": 3}})")));
  FakeAgent agent;
  agent.facts.inference_hz = 100;
  agent.step(d, 0, battery(90));
  EXPECT_EQ(agent.log, Log{"activate large"});
  EXPECT_EQ(d.ranked_variants()[0].model, "large");
  EXPECT_EQ(d.ranked_variants()[0].source, "catalog");
  // The agent measures large at 31 mJ: 3.1 W, over budget -> small.
  agent.facts.active_energy_per_inference_mj = 31;
  agent.step(d, 1, battery(90));
  EXPECT_EQ(agent.log.back(), "activate small");
  EXPECT_EQ(d.events().back().reason,
            "battery 90% (on battery) above 50%: rule 1 (large); large is over the budget "
            "of 3 W, small fits (1 W estimated)");
  // small measured at 12 mJ; large keeps its measured 31 mJ, so it does not come back (no flapping).
  agent.facts.active_energy_per_inference_mj = 12;
  for (int i = 2; i < 10; ++i) agent.step(d, i, battery(90));
  EXPECT_EQ(agent.log.size(), 2u);
  auto ranked = d.ranked_variants();
  EXPECT_EQ(ranked[0].energy_per_inference_mj, 31);
  EXPECT_EQ(ranked[0].source, "measured");
  // The loop slows to 90/s: large would be 2.79 W, under 3 W less 5% (2.85): it comes back.
  agent.facts.inference_hz = 90;
  agent.step(d, 10, battery(90));
  EXPECT_EQ(agent.log.back(), "activate large");
  // With measured idle power on top, nothing fits 3 W: inference pauses.
  agent.facts.idle_power_w = 2.5;
  agent.facts.active_energy_per_inference_mj = 31;
  agent.step(d, 11, battery(90));
  EXPECT_EQ(agent.log.back(), "pause");
  EXPECT_NE(d.events().back().reason.find("no installed variant fits the budget of 3 W"), std::string::npos);
}

TEST(BatteryPolicyDriver, AnEnergyBudgetPerDayIsAnAveragePower) {
  BatteryPolicy p = parse_battery_policy(json::parse(
      R"({"rules": [{"model": "large"}], "variants": [{"model": "large", "energy_per_inference_mj": 30},
          {"model": "small", "energy_per_inference_mj": 5}], "budget": {"energy_wh_per_day": 48}})"));
  EXPECT_DOUBLE_EQ(p.budget->limit_w(), 2.0);
  BatteryPolicyDriver d(p);
  FakeAgent agent;
  agent.facts.inference_hz = 100;  // large: 3 W = 72 Wh/day; small: 0.5 W
  agent.step(d, 0, battery(50));
  EXPECT_EQ(agent.log, Log{"activate small"});
  EXPECT_NE(d.events()[0].reason.find("48 Wh/day (2 W)"), std::string::npos) << d.events()[0].reason;
}

TEST(BatteryPolicyDriver, MissingOrFailingModelsFallToTheNextRuleAndAreRetriedLater) {
  BatteryPolicyDriver d(parse_battery_policy(issue_example()), 300);
  FakeAgent agent;
  agent.facts.installed = {"small"};  // large is not stored on this agent
  agent.step(d, 0, battery(90));
  EXPECT_EQ(agent.log, Log{"activate small"});
  agent.facts.installed = {"small", "large"};
  agent.broken = {"large"};
  agent.step(d, 10, battery(90));
  agent.step(d, 20, battery(90));  // large failed at 10: not tried again yet
  EXPECT_EQ(agent.log, (Log{"activate small", "failed large"}));
  EXPECT_EQ(agent.facts.active_model, "small");
  agent.broken.clear();
  agent.step(d, 309, battery(90));
  agent.step(d, 310, battery(90));
  EXPECT_EQ(agent.log, (Log{"activate small", "failed large", "activate large"}));
  // The attempt is an event, and so is its failure.
  EXPECT_EQ(d.events()[1].event, "activate");
  EXPECT_EQ(d.events()[2].event, "failed");
  EXPECT_EQ(d.events()[2].model, "large");
  EXPECT_EQ(d.events()[2].reason, "activate failed: health check failed");
}

TEST(BatteryPolicyDriver, StepUpsWaitMinIntervalStepDownsDoNot) {
  json j = issue_example();
  j["min_interval_s"] = 120;
  BatteryPolicyDriver d(parse_battery_policy(j));
  FakeAgent agent;
  agent.step(d, 0, battery(50));   // small
  agent.step(d, 10, battery(90));  // step up waits until 120
  EXPECT_EQ(agent.log, Log{"activate small"});
  EXPECT_NE(d.status_json()["waiting"].get<std::string>().find("min_interval_s"), std::string::npos);
  agent.step(d, 120, battery(90));
  agent.step(d, 130, battery(10));  // step down at once
  EXPECT_EQ(agent.log, (Log{"activate small", "activate large", "pause"}));
}

TEST(BatteryPolicyDriver, NoBatteryNoDecisionAndItSaysWhy) {
  telemetry::testing::FixtureTree tree("bare_vm");
  ManualClock clock;
  telemetry::Collector collector(tree.roots(), clock);
  BatteryPolicyDriver d(parse_battery_policy(issue_example()));
  FakeAgent agent;
  agent.step(d, 0, collector.sample());
  EXPECT_TRUE(agent.log.empty());
  std::string waiting = d.status_json()["waiting"];
  EXPECT_NE(waiting.find("battery state unavailable: no battery in"), std::string::npos) << waiting;
}

TEST(BatteryPolicyDriver, FollowsALaptopsPowerSupplyTreeAsItsChargeFallsAndRises) {
  telemetry::testing::FixtureTree tree("laptop_battery");  // BAT0 at 87%, discharging, AC offline
  ManualClock clock;
  telemetry::Collector collector(tree.roots(), clock);
  BatteryPolicyDriver d(parse_battery_policy(issue_example()));
  FakeAgent agent;
  const std::string bat = "sys/class/power_supply/BAT0/";
  auto at = [&](int percent) {
    tree.write(bat + "capacity", percent);
    clock.advance(10);
    agent.step(d, clock.now_s(), collector.sample());
  };
  agent.step(d, clock.now_s(), collector.sample());
  for (int p : {80, 70, 61, 60, 61, 59, 62, 61, 50, 30, 21, 20, 21, 19, 22, 25, 24, 26, 40, 64, 66}) at(p);
  EXPECT_EQ(agent.log, (Log{"activate large", "activate small", "pause", "resume small", "activate large"}));
  // Plugging in changes nothing in this policy (no rule on the supply), but is seen.
  tree.write(bat + "status", "Charging");
  tree.write("sys/class/power_supply/AC/online", 1);
  at(67);
  EXPECT_EQ(d.status_json()["on_battery"], false);
  EXPECT_EQ(agent.log.size(), 5u);
}

}  // namespace
}  // namespace edgeml::agent
