// The whole alert path on real sensor files: a copy of a Jetson Nano's /sys (L4T 32) whose CPU temperature and input
// power this test raises and lowers, read by the agent's telemetry Collector every 5 s of a manual clock, mapped to
// values as the controller stores them (temperature_c = hottest sensor, power_w = the board's total rail), evaluated,
// and delivered to a webhook receiver on 127.0.0.1. The receiver sees each transition exactly once, in order.
#include <gtest/gtest.h>

#include "alerts/delivery_queue.hpp"
#include "alerts/evaluator.hpp"
#include "alerts/webhook_notifier.hpp"
#include "fixture_tree.hpp"
#include "telemetry/collector.hpp"
#include "webhook_receiver.hpp"

namespace edgeml::alerts {
namespace {

using nlohmann::json;
const std::string kIio = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/";

class FixtureDevice {
 public:
  FixtureDevice() : tree_("jetson_nano_l4t32"), collector_(tree_.roots(), clock) {}
  void set_cpu_celsius(double c) { tree_.write("sys/class/thermal/thermal_zone1/temp", std::llround(c * 1000)); }
  void set_input_watts(double w) { tree_.write(kIio + "in_power0_input", std::llround(w * 1000)); }

  // One telemetry sample, as the controller would store it.
  MetricSample sample() {
    telemetry::Snapshot s = collector_.sample();
    MetricSample m;
    m.device = "nano-1";
    m.t_s = s.timestamp_s;
    m.temperature_c = s.thermal.max_celsius;
    m.power_w = s.power.total_watts;
    m.cpu_ratio = s.cpu.usage_ratio;
    if (s.memory.available) m.memory_ratio = s.memory.used_ratio;
    return m;
  }

  ManualClock clock{1'700'000'000};

 private:
  telemetry::testing::FixtureTree tree_;
  telemetry::Collector collector_;
};

TEST(AlertsEndToEnd, RaisingAndLoweringAFixtureDevicesSensorsNotifiesEachTransitionOnce) {
  testing::WebhookReceiver rx;
  FixtureDevice device;
  WebhookNotifier webhook;
  NotifierSet notifiers(&webhook, nullptr);
  DeliveryQueue queue(notifiers, device.clock);
  AlertEvaluator evaluator;
  json notify = {{{"webhook", rx.url("/hook/secret-token")}}};
  evaluator.set_rules({parse_rule({{"name", "hot"},
                                   {"metric", "temperature_c"},
                                   {"op", ">"},
                                   {"threshold", 45},
                                   {"for_s", 10},
                                   {"device", "nano-1"},
                                   {"notify", notify}}),
                       parse_rule({{"name", "power-hungry"},
                                   {"metric", "power_w"},
                                   {"op", ">="},
                                   {"threshold", 5},
                                   {"repeat_s", 60},
                                   {"device_type", "jetson_nano"},
                                   {"notify", notify}})},
                      device.clock.now_s());
  evaluator.set_devices({{"nano-1", "", "jetson_nano"}});

  std::vector<std::string> seen;  // every transition, pending included, as "kind:rule@seconds"
  double start = device.clock.now_s();
  auto run_for = [&](double seconds) {
    for (double t = 0; t < seconds; t += 5) {
      device.clock.advance(5);
      for (const auto& tr : evaluator.observe(observations(device.sample()))) {
        seen.push_back(std::string(to_string(tr.kind)) + ":" + tr.rule + "@" +
                       std::to_string(static_cast<int>(tr.at_s - start)));
        queue.enqueue(*evaluator.rule(tr.rule), tr);
      }
      queue.run_due();
    }
  };

  run_for(20);  // 38.5 °C (AO-therm), 0.933 W: quiet
  EXPECT_TRUE(seen.empty());
  device.set_cpu_celsius(52.5);
  run_for(20);  // pending at 25 s, firing at 35 s (for_s 10)
  device.set_cpu_celsius(41);
  run_for(10);  // resolved at 45 s
  device.set_input_watts(6.25);
  run_for(70);  // firing at 55 s, reminder at 115 s
  device.set_input_watts(0.9);
  run_for(10);  // resolved at 125 s
  EXPECT_EQ(seen,
            (std::vector<std::string>{"pending:hot@25", "firing:hot@35", "resolved:hot@45", "firing:power-hungry@55",
                                      "repeat:power-hungry@115", "resolved:power-hungry@125"}));

  auto got = rx.requests();
  ASSERT_EQ(got.size(), 5u);  // pending is not announced
  std::vector<json> bodies;
  for (const auto& r : got) bodies.push_back(json::parse(r.body));
  EXPECT_EQ(bodies[0]["status"], "firing");
  EXPECT_EQ(bodies[0]["rule"], "hot");
  EXPECT_EQ(bodies[0]["device"], "nano-1");
  EXPECT_EQ(bodies[0]["value"], 52.5);
  EXPECT_EQ(bodies[0]["since_s"], nullptr);  // (not a field: "since" is the ISO form)
  EXPECT_EQ(bodies[0]["since"], "2023-11-14T22:13:45Z");
  EXPECT_EQ(bodies[1]["status"], "resolved");
  EXPECT_EQ(bodies[1]["value"], 41);
  EXPECT_EQ(bodies[2]["rule"], "power-hungry");
  EXPECT_EQ(bodies[2]["value"], 6.25);
  EXPECT_EQ(bodies[2]["unit"], "W");
  EXPECT_EQ(bodies[3]["status"], "firing");
  EXPECT_EQ(bodies[3]["repeat"], 1);
  EXPECT_EQ(bodies[4]["status"], "resolved");
  EXPECT_DOUBLE_EQ(bodies[4]["value"].get<double>(), 0.9);
  for (const auto& d : queue.deliveries()) EXPECT_EQ(d.status, Delivery::Status::delivered);
}

}  // namespace
}  // namespace edgeml::alerts
