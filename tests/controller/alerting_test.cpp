// The controller's Alerting in-process, over a real SQLite store and a webhook receiver on 127.0.0.1, driven through
// the interfaces the services call: MQTT telemetry through the real TelemetryIngest (duplicates are not observed
// twice), a deployment record's predicted energy per inference against the measured one
// (energy_vs_prediction_factor), and a failed deployment (deploy_failed). Time comes from a ManualClock.
#include "controller/alerting.hpp"

#include <gtest/gtest.h>

#include "controller/event_hub.hpp"
#include "controller/telemetry_ingest.hpp"
#include "temp_dir.hpp"
#include "webhook_receiver.hpp"

namespace edgeml::controller {
namespace {

using nlohmann::json;

struct Fixture {
  testing::TempDir dir{"alerting"};
  store::Store db{(dir.path / "c.db").string()};
  ManualClock clock{1'800'000'000};
  testing::WebhookReceiver rx;
  store::Device device;
  Fixture() {
    store::Device d;
    d.name = "nano-9", d.device_type = "jetson_nano", d.transport = "mqtt", d.created_at = clock.now_s();
    device = db.devices().add(d);
  }
  json rule(json extra) {
    json r = {{"notify", {{{"webhook", rx.url("/hook/secret-token")}}}}};
    r.update(extra);
    return r;
  }
  std::vector<json> received() {
    std::vector<json> out;
    for (const auto& r : rx.requests()) out.push_back(json::parse(r.body));
    return out;
  }
};

wire::TelemetrySample wire_sample(std::uint64_t seq, double t, double energy_j, const std::string& model) {
  wire::TelemetrySample s;
  s.seq = seq, s.t = t, s.energy_per_inference_j = energy_j, s.active_model = model;
  return s;
}

TEST(Alerting, MeasuredEnergyAgainstTheDeployedPredictionFiresThroughTheMqttIngestOnce) {
  Fixture f;
  // The deployment the prediction comes from: 10 mJ per inference predicted for m1 on this device.
  store::DeploymentRecord dep;
  dep.device_id = f.device.id, dep.device_name = f.device.name, dep.model_name = "m1", dep.status = "succeeded";
  dep.started_at = f.clock.now_s(), dep.finished_at = f.clock.now_s(), dep.predicted_per_inference_mj = 10;
  f.db.deployments().begin(dep);

  Alerting alerting(f.db, f.clock);
  alerting.load();
  alerting.add_rule(
      f.rule({{"name", "thirsty"}, {"metric", "energy_vs_prediction_factor"}, {"op", ">"}, {"threshold", 1.5}}));
  EventHub events;
  TelemetryIngest ingest(f.db, events, f.clock);
  ingest.set_observer(&alerting);

  double t = f.clock.now_s();
  wire::TelemetryBatch batch{"nano-9", "s1", {wire_sample(1, t + 1, 0.012, "m1"), wire_sample(2, t + 2, 0.020, "m1")}};
  ingest.submit(f.device.id, batch);
  ingest.flush();
  ingest.submit(f.device.id, batch);  // the same samples again (a resend): stored once, observed once
  ingest.flush();
  f.clock.advance(5);
  alerting.deliver_due();

  auto got = f.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["status"], "firing");
  EXPECT_EQ(got[0]["rule"], "thirsty");
  EXPECT_EQ(got[0]["device"], "nano-9");
  EXPECT_NEAR(got[0]["value"].get<double>(), 2.0, 1e-9) << "20 mJ measured / 10 mJ predicted";
  ASSERT_EQ(alerting.history(0, 1e11, 100).size(), 1u) << "the resend made no second transition";

  // Another model is active: no prediction for it, so no factor (the alert neither holds nor clears on it).
  ingest.submit(f.device.id, {"nano-9", "s1", {wire_sample(3, t + 3, 0.001, "m2")}});
  ingest.flush();
  EXPECT_EQ(alerting.active().size(), 1u);
  ingest.submit(f.device.id, {"nano-9", "s1", {wire_sample(4, t + 4, 0.011, "m1")}});
  ingest.flush();
  EXPECT_TRUE(alerting.active().empty()) << "1.1 is below 1.5: resolved";
  f.clock.advance(5);
  alerting.deliver_due();
  ASSERT_EQ(f.received().size(), 2u);
  EXPECT_EQ(f.received()[1]["status"], "resolved");
}

TEST(Alerting, AFailedDeploymentFiresDeployFailedAndARestartKeepsItsState) {
  Fixture f;
  {
    Alerting alerting(f.db, f.clock);
    alerting.load();
    alerting.add_rule(f.rule({{"name", "deploys"}, {"metric", "deploy_failed"}, {"device", "nano-9"}}));
    store::DeploymentRecord dep;
    dep.device_id = f.device.id, dep.device_name = "nano-9", dep.model_name = "m1", dep.status = "failed";
    dep.error = "health check failed", dep.finished_at = f.clock.now_s();
    alerting.deployment_finished(dep);
    alerting.deliver_due();
    ASSERT_EQ(f.received().size(), 1u);
    EXPECT_EQ(f.received()[0]["rule"], "deploys");
    EXPECT_EQ(f.received()[0]["status"], "firing");
  }
  Alerting again(f.db, f.clock);
  again.load();
  ASSERT_EQ(again.rules().size(), 1u);
  ASSERT_EQ(again.active().size(), 1u) << "the firing alert is restored, not announced again";
  store::DeploymentRecord ok;
  ok.device_id = f.device.id, ok.device_name = "nano-9", ok.model_name = "m1", ok.status = "succeeded";
  ok.finished_at = f.clock.now_s() + 1;
  again.deployment_finished(ok);
  again.deliver_due();
  ASSERT_EQ(f.received().size(), 2u);
  EXPECT_EQ(f.received()[1]["status"], "resolved");
  auto deliveries = again.deliveries();
  ASSERT_EQ(deliveries.size(), 2u) << "the first process's delivered record came back from the store";
  EXPECT_EQ(deliveries[0].status, alerts::Delivery::Status::delivered);
}

}  // namespace
}  // namespace edgeml::controller
