// The evaluator as a state machine: each transition exactly once (pending, firing, repeat, resolved), for_s and
// repeat_s timing, device events, scopes, rule edits, and a state that survives a restart.
#include "alerts/evaluator.hpp"

#include <gtest/gtest.h>

#include "common/csv.hpp"
#include "common/error.hpp"

namespace edgeml::alerts {
namespace {

using nlohmann::json;
constexpr double t0 = 1'700'000'000;

AlertRule rule(json body) { return parse_rule(body); }

AlertRule hot(double for_s = 0, double repeat_s = 0) {
  return rule({{"name", "hot"},
               {"metric", "temperature_c"},
               {"op", ">"},
               {"threshold", 35},
               {"for_s", for_s},
               {"repeat_s", repeat_s},
               {"device", "edge-1"}});
}

Observation temp(double c, double t, const std::string& device = "edge-1") {
  return {device, Metric::temperature_c, c, t};
}

std::vector<std::string> kinds(const std::vector<Transition>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(std::string(to_string(t.kind)) + ":" + t.rule + ":" + t.device);
  return out;
}

using Kinds = std::vector<std::string>;

TEST(AlertEvaluator, FiresOnceAndResolvesOnce) {
  AlertEvaluator ev;
  ev.set_rules({hot()}, t0);
  EXPECT_TRUE(ev.observe(temp(30, t0)).empty());
  auto fired = ev.observe(temp(36.5, t0 + 5));
  ASSERT_EQ(kinds(fired), Kinds{"firing:hot:edge-1"});
  EXPECT_EQ(fired[0].value, 36.5);
  EXPECT_EQ(fired[0].at_s, t0 + 5);
  EXPECT_EQ(fired[0].since_s, t0 + 5);
  EXPECT_STREQ(fired[0].status(), "firing");
  EXPECT_TRUE(ev.observe(temp(40, t0 + 10)).empty());  // still hot: no second firing
  EXPECT_TRUE(ev.observe(temp(35.1, t0 + 15)).empty());
  auto resolved = ev.observe(temp(35, t0 + 20));  // ">" 35: 35 itself is not hot
  ASSERT_EQ(kinds(resolved), Kinds{"resolved:hot:edge-1"});
  EXPECT_EQ(resolved[0].value, 35);
  EXPECT_EQ(resolved[0].since_s, t0 + 5);
  EXPECT_STREQ(resolved[0].status(), "resolved");
  EXPECT_TRUE(ev.observe(temp(20, t0 + 25)).empty());
  EXPECT_TRUE(ev.active().empty());
}

TEST(AlertEvaluator, ForSecondsPendsFirstAndAShortSpikeAnnouncesNothing) {
  AlertEvaluator ev;
  ev.set_rules({hot(60)}, t0);
  EXPECT_EQ(kinds(ev.observe(temp(36, t0))), Kinds{"pending:hot:edge-1"});
  EXPECT_TRUE(ev.observe(temp(37, t0 + 30)).empty());
  EXPECT_TRUE(ev.observe(temp(30, t0 + 40)).empty());  // a spike that cleared before for_s: back to nothing
  EXPECT_TRUE(ev.active().empty());
  EXPECT_EQ(kinds(ev.observe(temp(36, t0 + 50))), Kinds{"pending:hot:edge-1"});
  EXPECT_TRUE(ev.observe(temp(36, t0 + 109)).empty());  // 59 s
  auto fired = ev.observe(temp(38, t0 + 110));          // 60 s
  ASSERT_EQ(kinds(fired), Kinds{"firing:hot:edge-1"});
  EXPECT_EQ(fired[0].since_s, t0 + 50);
  EXPECT_EQ(fired[0].value, 38);
  EXPECT_TRUE(ev.observe(temp(38, t0 + 200)).empty());
  EXPECT_EQ(kinds(ev.observe(temp(30, t0 + 210))), Kinds{"resolved:hot:edge-1"});
}

TEST(AlertEvaluator, RepeatsAtTheIntervalWhileItHolds) {
  AlertEvaluator ev;
  ev.set_rules({hot(0, 100)}, t0);
  std::vector<Transition> all;
  for (int s = 0; s <= 250; s += 10) {
    auto t = ev.observe(temp(40, t0 + s));
    all.insert(all.end(), t.begin(), t.end());
  }
  ASSERT_EQ(kinds(all), (Kinds{"firing:hot:edge-1", "repeat:hot:edge-1", "repeat:hot:edge-1"}));
  EXPECT_EQ(all[1].at_s, t0 + 100);
  EXPECT_EQ(all[1].repeat, 1);
  EXPECT_EQ(all[2].at_s, t0 + 200);
  EXPECT_EQ(all[2].repeat, 2);
  EXPECT_STREQ(all[2].status(), "firing");
  EXPECT_EQ(kinds(ev.observe(temp(20, t0 + 260))), Kinds{"resolved:hot:edge-1"});
}

TEST(AlertEvaluator, AValueOscillatingAroundTheThresholdAnnouncesEachCrossingOnce) {
  AlertEvaluator ev;
  ev.set_rules({hot()}, t0);
  int firing = 0, resolved = 0;
  for (int i = 0; i < 20; ++i)
    for (const auto& t : ev.observe(temp(i % 4 < 2 ? 36 : 34, t0 + i))) {
      firing += t.kind == TransitionKind::firing;
      resolved += t.kind == TransitionKind::resolved;
    }
  EXPECT_EQ(firing, 5);  // 36,36,34,34 five times: one firing and one resolved per period
  EXPECT_EQ(resolved, 5);
}

TEST(AlertEvaluator, ScopesSelectDevicesByNameGroupTypeOrAll) {
  AlertEvaluator ev;
  ev.set_rules(
      {rule({{"name", "lab-hot"}, {"metric", "temperature_c"}, {"op", ">"}, {"threshold", 35}, {"group", "lab"}}),
       rule({{"name", "nano-hot"},
             {"metric", "temperature_c"},
             {"op", ">"},
             {"threshold", 35},
             {"device_type", "jetson_nano"}}),
       rule({{"name", "any-hot"}, {"metric", "temperature_c"}, {"op", ">"}, {"threshold", 35}})},
      t0);
  ev.set_devices({{"a", "lab", "rpi5"}, {"b", "", "jetson_nano"}, {"c", "field", "rpi5"}});
  EXPECT_EQ(kinds(ev.observe(temp(40, t0, "a"))), (Kinds{"firing:lab-hot:a", "firing:any-hot:a"}));
  EXPECT_EQ(kinds(ev.observe(temp(40, t0, "b"))), (Kinds{"firing:nano-hot:b", "firing:any-hot:b"}));
  EXPECT_EQ(kinds(ev.observe(temp(40, t0, "c"))), (Kinds{"firing:any-hot:c"}));
  EXPECT_EQ(kinds(ev.observe(temp(40, t0, "unknown"))), (Kinds{"firing:any-hot:unknown"}));
  // Device a moves out of the lab: its lab alert resolves on its next value, saying why.
  ev.set_devices({{"a", "field", "rpi5"}, {"b", "", "jetson_nano"}, {"c", "field", "rpi5"}});
  auto moved = ev.observe(temp(40, t0 + 1, "a"));
  ASSERT_EQ(kinds(moved), Kinds{"resolved:lab-hot:a"});
  EXPECT_EQ(moved[0].detail, "device left the rule's scope");
}

TEST(AlertEvaluator, OfflineDeviceFiresAfterForSecondsAndResolvesWhenBack) {
  AlertEvaluator ev;
  ev.set_rules({rule({{"name", "gone"}, {"metric", "device_offline"}, {"for_s", 60}})}, t0);
  auto pending = ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::offline, t0, "connection refused"});
  EXPECT_EQ(kinds(pending), Kinds{"pending:gone:edge-1"});
  EXPECT_TRUE(ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::offline, t0 + 20, "timeout"}).empty());
  EXPECT_TRUE(ev.tick(t0 + 59).empty());
  auto fired = ev.tick(t0 + 60);
  ASSERT_EQ(kinds(fired), Kinds{"firing:gone:edge-1"});
  EXPECT_EQ(fired[0].value, 60);  // seconds offline
  EXPECT_EQ(fired[0].since_s, t0);
  EXPECT_EQ(fired[0].detail, "timeout");
  EXPECT_TRUE(ev.tick(t0 + 120).empty());
  // Telemetry from the device is proof it is back.
  auto back = ev.observe(temp(20, t0 + 90));
  ASSERT_EQ(kinds(back), Kinds{"resolved:gone:edge-1"});
  EXPECT_EQ(back[0].value, 90);
  EXPECT_TRUE(ev.tick(t0 + 200).empty());
  // A short outage announces nothing.
  ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::offline, t0 + 300, ""});
  EXPECT_TRUE(ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::online, t0 + 310, ""}).empty());
  EXPECT_TRUE(ev.tick(t0 + 400).empty());
}

TEST(AlertEvaluator, ARuleAddedWhileADeviceIsOfflineCountsFromWhenItWentOffline) {
  AlertEvaluator ev;
  ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::offline, t0, ""});
  ev.set_rules({rule({{"name", "gone"}, {"metric", "device_offline"}, {"for_s", 60}})}, t0 + 100);
  auto t = ev.tick(t0 + 100);
  ASSERT_EQ(kinds(t), (Kinds{"pending:gone:edge-1", "firing:gone:edge-1"}));
  EXPECT_EQ(t[1].since_s, t0);
  EXPECT_EQ(t[1].value, 100);
}

TEST(AlertEvaluator, DeployFailedFiresAtOnceRepeatsOnTickAndResolvesOnSuccess) {
  AlertEvaluator ev;
  ev.set_rules({rule({{"name", "deploy"}, {"metric", "deploy_failed"}, {"repeat_s", 3600}})}, t0);
  auto fired = ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::deploy_failed, t0, "health check failed"});
  ASSERT_EQ(kinds(fired), Kinds{"firing:deploy:edge-1"});
  EXPECT_EQ(fired[0].detail, "health check failed");
  EXPECT_FALSE(fired[0].value);
  EXPECT_TRUE(ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::deploy_failed, t0 + 10, "sha256"}).empty());
  EXPECT_TRUE(ev.tick(t0 + 3599).empty());
  auto again = ev.tick(t0 + 3600);
  ASSERT_EQ(kinds(again), Kinds{"repeat:deploy:edge-1"});
  EXPECT_EQ(again[0].detail, "sha256");  // the latest failure
  EXPECT_EQ(kinds(ev.observe(DeviceEvent{"edge-1", DeviceEvent::Kind::deploy_succeeded, t0 + 4000, ""})),
            Kinds{"resolved:deploy:edge-1"});
}

TEST(AlertEvaluator, MeasuredEnergyAboveThePredictionByAFactor) {
  EXPECT_EQ(energy_vs_prediction_factor(16.0, 10.0), 1.6);
  EXPECT_FALSE(energy_vs_prediction_factor(16.0, std::nullopt));
  EXPECT_FALSE(energy_vs_prediction_factor(16.0, 0.0));
  AlertEvaluator ev;
  ev.set_rules(
      {rule({{"name", "over-prediction"}, {"metric", "energy_vs_prediction_factor"}, {"op", ">"}, {"threshold", 1.5}})},
      t0);
  MetricSample s;
  s.device = "edge-1";
  s.t_s = t0;
  s.energy_vs_prediction_factor = energy_vs_prediction_factor(16.0, 10.0);
  s.temperature_c = 50;
  auto t = ev.observe(observations(s));
  ASSERT_EQ(kinds(t), Kinds{"firing:over-prediction:edge-1"});
  EXPECT_DOUBLE_EQ(*t[0].value, 1.6);
}

TEST(AlertEvaluator, OnlyWhatASampleMeasuresIsObserved) {
  MetricSample s;
  s.device = "edge-1";
  s.t_s = t0;
  s.cpu_ratio = 0.5;
  s.power_w = 4.2;
  auto obs = observations(s);
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0].metric, Metric::power_w);
  EXPECT_EQ(obs[1].metric, Metric::cpu_ratio);
  AlertEvaluator ev;
  EXPECT_THROW(ev.observe(Observation{"edge-1", Metric::device_offline, 1, t0}), FieldError);
}

TEST(AlertEvaluator, EditsKeepTheStateUnlessTheConditionChanges) {
  AlertEvaluator ev;
  ev.set_rules({hot()}, t0);
  ev.observe(temp(40, t0));
  AlertRule louder = hot();
  louder.severity = Severity::critical;
  louder.notify.push_back(parse_rule({{"name", "x"},
                                      {"metric", "temperature_c"},
                                      {"op", ">"},
                                      {"threshold", 1},
                                      {"notify", {{{"email", "ops@example.org"}}}}})
                              .notify[0]);
  EXPECT_TRUE(ev.set_rules({louder}, t0 + 1).empty());
  EXPECT_TRUE(ev.observe(temp(40, t0 + 2)).empty());  // still the same firing alert
  AlertRule higher = hot();
  higher.threshold = 45;
  auto changed = ev.set_rules({higher}, t0 + 3);
  ASSERT_EQ(kinds(changed), Kinds{"resolved:hot:edge-1"});
  EXPECT_EQ(changed[0].detail, "rule changed");
  EXPECT_EQ(changed[0].severity, Severity::critical);  // as it was announced
  EXPECT_TRUE(ev.observe(temp(40, t0 + 4)).empty());   // 40 is not above 45
  EXPECT_EQ(kinds(ev.observe(temp(46, t0 + 5))), Kinds{"firing:hot:edge-1"});
  auto removed = ev.set_rules({}, t0 + 6);
  ASSERT_EQ(kinds(removed), Kinds{"resolved:hot:edge-1"});
  EXPECT_EQ(removed[0].detail, "rule removed");
  AlertRule off = hot();
  off.enabled = false;
  ev.set_rules({off}, t0 + 7);
  EXPECT_TRUE(ev.observe(temp(99, t0 + 8)).empty());
  EXPECT_THROW(ev.set_rules({hot(), hot()}, t0 + 9), FieldError);
}

TEST(AlertEvaluator, StateSurvivesARestartWithoutAnnouncingAgain) {
  std::string stored;
  {
    AlertEvaluator before;
    before.set_rules(
        {hot(0, 100),
         rule({{"name", "warm"}, {"metric", "temperature_c"}, {"op", ">"}, {"threshold", 30}, {"for_s", 60}}),
         rule({{"name", "gone"}, {"metric", "device_offline"}, {"for_s", 60}})},
        t0);
    before.observe(temp(40, t0));
    before.observe(temp(40, t0 + 30, "edge-2"));  // warm pending on edge-2 since t0+30
    before.observe(DeviceEvent{"edge-3", DeviceEvent::Kind::offline, t0 + 10, ""});
    stored = before.state_json().dump();
  }
  AlertEvaluator after;
  after.set_rules({hot(0, 100),
                   rule({{"name", "warm"}, {"metric", "temperature_c"}, {"op", ">"}, {"threshold", 30}, {"for_s", 60}}),
                   rule({{"name", "gone"}, {"metric", "device_offline"}, {"for_s", 60}})},
                  t0 + 50);
  after.restore_state(json::parse(stored));
  EXPECT_EQ(after.active().size(), 4u);                   // hot and warm on edge-1, warm on edge-2, gone on edge-3
  EXPECT_TRUE(after.observe(temp(41, t0 + 55)).empty());  // firing before the restart: not announced again
  EXPECT_EQ(kinds(after.observe(temp(41, t0 + 90, "edge-2"))), Kinds{"firing:warm:edge-2"});  // 60 s since t0+30
  EXPECT_EQ(kinds(after.tick(t0 + 70)), Kinds{"firing:gone:edge-3"});                         // 60 s since t0+10
  // The repeat clock carried over too (hot fired at t0), and warm on edge-1 has now held 100 s since t0.
  EXPECT_EQ(kinds(after.observe(temp(41, t0 + 100))), (Kinds{"repeat:hot:edge-1", "firing:warm:edge-1"}));
  EXPECT_EQ(kinds(after.observe(temp(20, t0 + 110))), (Kinds{"resolved:hot:edge-1", "resolved:warm:edge-1"}));

  // A rule whose condition changed while the controller was down starts over instead of resolving a stale alert.
  AlertEvaluator changed;
  AlertRule h = hot(0, 100);
  h.threshold = 50;
  changed.set_rules({h}, t0 + 50);
  changed.restore_state(json::parse(stored));
  EXPECT_TRUE(changed.active().empty());
}

TEST(AlertEvaluator, AMalformedStateIsRefusedAndTheCurrentOneKept) {
  AlertEvaluator ev;
  ev.set_rules({hot()}, t0);
  ev.observe(temp(40, t0));
  json bad = ev.state_json();
  bad["alerts"][0]["since_s"] = "yesterday";
  try {
    ev.restore_state(bad);
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "state.alerts[0].since_s");
  }
  EXPECT_THROW(ev.restore_state(json{{"version", 2}}), FieldError);
  EXPECT_EQ(ev.active().size(), 1u);
}

TEST(AlertEvaluator, HistoryIsExportedAsCsvAndReadBackFromJson) {
  AlertEvaluator ev;
  ev.set_rules({hot()}, t0);
  auto history = ev.observe(temp(40.25, t0));
  auto r = ev.observe(temp(20, t0 + 60));
  history.insert(history.end(), r.begin(), r.end());
  CsvTable csv = parse_csv(transitions_csv(history));
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.rows[0][*csv.column("status")], "firing");
  EXPECT_EQ(csv.rows[0][*csv.column("value")], "40.25");
  EXPECT_EQ(csv.rows[0][*csv.column("unit")], "°C");
  EXPECT_EQ(csv.rows[0][*csv.column("at")], "2023-11-14T22:13:20Z");
  EXPECT_EQ(csv.rows[1][*csv.column("status")], "resolved");
  EXPECT_EQ(csv.rows[1][*csv.column("threshold")], "35");
  for (const auto& t : history) {
    Transition back = transition_from_json(to_json(t));
    EXPECT_EQ(to_json(back), to_json(t));
  }
}

}  // namespace
}  // namespace edgeml::alerts
