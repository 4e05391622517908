// Alert rules from the JSON of POST /api/alerts/rules: the issue's example, every field's checks naming the field,
// and a rule read back from to_json being the same rule.
#include "alerts/rule.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace edgeml::alerts {
namespace {

using nlohmann::json;

json example() {
  return json::parse(R"({"name": "hot", "metric": "temperature_c", "op": ">", "threshold": 35, "for_s": 0,
                         "device": "edge-1", "notify": [{"webhook": "http://127.0.0.1:9999/hook"}]})");
}

// The field a FieldError names, or "" when parse_rule accepted the body.
std::string error_field(const json& body) {
  try {
    parse_rule(body);
  } catch (const FieldError& e) {
    return e.field();
  }
  return "";
}

TEST(AlertRule, TheIssueExampleParses) {
  AlertRule r = parse_rule(example());
  EXPECT_EQ(r.name, "hot");
  EXPECT_EQ(r.metric, Metric::temperature_c);
  EXPECT_EQ(r.op, Op::greater);
  EXPECT_EQ(r.threshold, 35);
  EXPECT_EQ(r.for_s, 0);
  EXPECT_EQ(r.repeat_s, 0);
  EXPECT_EQ(r.severity, Severity::warning);
  EXPECT_EQ(r.scope.kind, FleetScope::Kind::device);
  EXPECT_EQ(r.scope.value, "edge-1");
  ASSERT_EQ(r.notify.size(), 1u);
  EXPECT_EQ(r.notify[0].kind, NotifyTarget::Kind::webhook);
  EXPECT_EQ(r.notify[0].url, "http://127.0.0.1:9999/hook");
  EXPECT_TRUE(r.enabled);
}

TEST(AlertRule, ReadBackFromItsJsonIsTheSameRule) {
  json body = example();
  body["repeat_s"] = 600;
  body["severity"] = "critical";
  body["notify"].push_back({{"email", {"ops@example.org", "lead@example.org"}}});
  body["notify"].push_back({{"webhook", "https://example.org/t/secret"}, {"format", "teams_workflow"}});
  AlertRule r = parse_rule(body);
  json written = to_json(r);
  EXPECT_EQ(written["unit"], "°C");
  EXPECT_EQ(written["scope"], "device:edge-1");
  EXPECT_EQ(parse_rule(written), r);
  // Every metric, both kinds of scope written and read back.
  for (const auto& m : all_metrics()) {
    json b = {{"name", std::string("r-") + m.name}, {"metric", m.name}, {"group", "lab"}};
    if (!m.is_event) {
      b["op"] = "<=";
      b["threshold"] = 0.5;
    }
    AlertRule x = parse_rule(b);
    EXPECT_EQ(parse_rule(to_json(x)), x) << m.name;
  }
}

TEST(AlertRule, EachWrongFieldIsNamed) {
  auto with = [](const char* key, json v) {
    json b = example();
    b[key] = v;
    return b;
  };
  auto without = [](const char* key) {
    json b = example();
    b.erase(key);
    return b;
  };
  EXPECT_EQ(error_field(without("name")), "name");
  EXPECT_EQ(error_field(with("name", "bad\nname")), "name");
  EXPECT_EQ(error_field(with("metric", "temperature")), "metric");
  EXPECT_EQ(error_field(with("op", "=>")), "op");
  EXPECT_EQ(error_field(without("op")), "op");
  EXPECT_EQ(error_field(with("threshold", "35")), "threshold");  // a string is not a number
  EXPECT_EQ(error_field(without("threshold")), "threshold");
  EXPECT_EQ(error_field(with("for_s", -1)), "for_s");
  EXPECT_EQ(error_field(with("for_s", 8 * 86400)), "for_s");
  EXPECT_EQ(error_field(with("repeat_s", 0.5)), "repeat_s");
  EXPECT_EQ(error_field(with("severity", "urgent")), "severity");
  EXPECT_EQ(error_field(with("device", "../etc")), "device");
  EXPECT_EQ(error_field(with("group", "lab")), "scope");  // device and group together
  EXPECT_EQ(error_field(with("scope", "rack:1")), "scope");
  EXPECT_EQ(error_field(with("treshold", 35)), "treshold");  // a typo is not silently ignored
  EXPECT_EQ(error_field(with("unit", "K")), "unit");
  EXPECT_EQ(error_field(with("enabled", "yes")), "enabled");
  EXPECT_EQ(error_field(json::array()), "body");
}

TEST(AlertRule, ThresholdsOutsideTheMetricsUnitAreRefused) {
  json ratio = {{"name", "busy"}, {"metric", "cpu_ratio"}, {"op", ">"}, {"threshold", 90}};  // percent, not a ratio
  try {
    parse_rule(ratio);
    FAIL() << "a ratio of 90 was accepted";
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "threshold");
    EXPECT_NE(std::string(e.what()).find("ratio 0..1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(error_field({{"name", "f"}, {"metric", "energy_vs_prediction_factor"}, {"op", ">"}, {"threshold", 0}}),
            "threshold");
  EXPECT_EQ(error_field({{"name", "f"}, {"metric", "energy_vs_prediction_factor"}, {"op", ">"}, {"threshold", 1.5}}),
            "");
}

TEST(AlertRule, EventMetricsTakeNoThresholdAndDeployFailedNoDuration) {
  EXPECT_EQ(error_field({{"name", "gone"}, {"metric", "device_offline"}, {"for_s", 60}}), "");
  EXPECT_EQ(error_field({{"name", "gone"}, {"metric", "device_offline"}, {"threshold", 60}}), "threshold");
  EXPECT_EQ(error_field({{"name", "gone"}, {"metric", "device_offline"}, {"op", ">"}}), "op");
  EXPECT_EQ(error_field({{"name", "bad"}, {"metric", "deploy_failed"}}), "");
  EXPECT_EQ(error_field({{"name", "bad"}, {"metric", "deploy_failed"}, {"for_s", 10}}), "for_s");
}

TEST(AlertRule, NotifyTargetsAreChecked) {
  auto target = [](json t) {
    json b = example();
    b["notify"] = json::array({t});
    return error_field(b);
  };
  EXPECT_EQ(target({{"webhook", "ftp://example.org/x"}}), "notify[0].webhook");
  EXPECT_EQ(target({{"webhook", "http://user:pw@example.org/x"}}), "notify[0].webhook");
  EXPECT_EQ(target({{"webhook", "http://exa mple.org/x"}}), "notify[0].webhook");
  EXPECT_EQ(target({{"webhook", "http:///x"}}), "notify[0].webhook");
  EXPECT_EQ(target({{"webhook", "http://example.org/x"}, {"format", "slack"}}), "notify[0].format");
  EXPECT_EQ(target({{"webhook", "http://example.org/x"}, {"email", "a@b.c"}}), "notify[0].webhook");
  EXPECT_EQ(target({{"email", "not-an-address"}}), "notify[0].email");
  EXPECT_EQ(target({{"email", "a@b.c\r\nBcc: x@y.z"}}), "notify[0].email");  // no header injection
  EXPECT_EQ(target({{"email", json::array()}}), "notify[0].email");
  EXPECT_EQ(target({{"email", "a@b.c"}, {"cc", "d@e.f"}}), "notify[0].cc");
  EXPECT_EQ(target("http://example.org"), "notify[0]");
  json b = example();
  b["notify"] = json::array();
  for (int i = 0; i < 11; ++i) b["notify"].push_back({{"webhook", "http://example.org/" + std::to_string(i)}});
  EXPECT_EQ(error_field(b), "notify");
}

TEST(AlertRule, AWebhookIsDescribedWithoutItsSecretPath) {
  NotifyTarget t;
  t.url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
  EXPECT_EQ(t.describe(), "webhook https://hooks.slack.com/…");
  NotifyTarget e;
  e.kind = NotifyTarget::Kind::email;
  e.to = {"a@b.c", "d@e.f"};
  EXPECT_EQ(e.describe(), "email a@b.c, d@e.f");
}

TEST(AlertRule, RuleListsHaveUniqueNames) {
  json list = json::array({example(), example()});
  try {
    parse_rules(list);
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "rules[1].name");
  }
  list[1]["name"] = "hot-2";
  list[1]["op"] = "!";
  try {
    parse_rules(list);
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "rules[1].op");
  }
}

TEST(FleetScopeText, ParsesWhatItWrites) {
  for (std::string s : {"all", "device:edge-1", "group:lab", "device_type:jetson_nano"})
    EXPECT_EQ(to_string(parse_fleet_scope(s, "scope")), s);
  EXPECT_THROW(parse_fleet_scope("device:", "scope"), FieldError);
  EXPECT_THROW(parse_fleet_scope("everything", "scope"), FieldError);
  FleetScope g = parse_fleet_scope("group:lab", "scope");
  EXPECT_TRUE(g.matches({"a", "lab", "rpi5"}));
  EXPECT_FALSE(g.matches({"a", "", "rpi5"}));
  EXPECT_FALSE(g.matches({"lab", "", ""}));  // a device named like the group is not in it
}

}  // namespace
}  // namespace edgeml::alerts
