// MQTT-mode agents and the REAL controller through a REAL mosquitto (tests/support/mosquitto_broker), all on
// 127.0.0.1: deploy and rollback to an agent whose HTTP port the controller does not know, presence through the last
// will, a command sent while the agent is away and run exactly once after it reconnects, telemetry with no gap across
// a controller restart and a broker restart, and bad MQTT input that is counted while the controller keeps serving.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "deploy_support.hpp"
#include "mosquitto_broker.hpp"
#include "mqtt_test_support.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;

namespace {

std::string active_sha(const Service& agent) {
  auto s = agent.get("/status");
  return s.body["active_model"].is_object() ? s.body["active_model"].value("sha256", "") : "";
}

nlohmann::json device_json(const Service& controller, long long id) {
  return controller.get("/api/devices/" + std::to_string(id)).body["device"];
}

// How often `needle` occurs in `text`.
size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// A figure of the controller's /metrics (first line starting with `name`), or -1.
double metric(const Service& controller, const std::string& name) {
  auto text = controller.get("/metrics").raw;
  for (auto at = text.find("\n" + name); at != std::string::npos; at = text.find("\n" + name, at + 1)) {
    auto end = text.find('\n', at + 1);
    auto line = text.substr(at + 1, end - at - 1);
    auto space = line.rfind(' ');
    return std::stod(line.substr(space + 1));
  }
  return -1;
}

class MqttFleet : public ::testing::Test {
 protected:
  void SetUp() override {
    edgeml::testing::BrokerConfig config;
    config.persistence = true;  // a broker restart keeps the sessions (the controller's queued telemetry)
    broker = std::make_unique<edgeml::testing::MosquittoBroker>(config);
    state = controller_state("mqtt-fleet", true);
    start_controller_now();
  }
  void start_controller_now() {
    controller = start_controller(state, {"--mqtt", broker->url(), "--poll-interval", "0.5", "--deploy-timeout", "60"},
                                  {}, /*with_data=*/true);
  }
  // Registered before its agent starts: the controller refuses telemetry of devices it does not know.
  long long register_device(const std::string& name) {
    auto r = controller->post("/api/devices", {{"name", name}, {"device_type", "jetson_nano"}, {"transport", "mqtt"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body["device"]["transport"], "mqtt");
    return r.body["device"]["id"];
  }
  std::unique_ptr<Service> start_mqtt_agent(const std::string& name, const std::filesystem::path& dir,
                                            std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--mqtt",         broker->url(), "--device-name",    name,
                                  "--telemetry-hz", "5",           "--mqtt-keepalive", "5"};
    args.insert(args.end(), extra.begin(), extra.end());
    return start_agent("jetson_nano_l4t32", dir, args);
  }
  bool online(long long id, bool want = true, double timeout_s = 20) {
    return eventually([&] { return device_json(*controller, id)["online"] == want; }, timeout_s);
  }

  std::unique_ptr<edgeml::testing::MosquittoBroker> broker;
  std::filesystem::path state;
  std::unique_ptr<Service> controller;
};

}  // namespace

TEST_F(MqttFleet, DeployAndRollbackReachAnAgentWhoseHttpPortTheControllerDoesNotKnow) {
  long long id = register_device("nano-m");
  EXPECT_EQ(device_json(*controller, id)["address"], "");  // nothing the controller could call
  TempDir dir("mqtt-agent");
  auto agent = start_mqtt_agent("nano-m", dir.path);
  ASSERT_TRUE(online(id)) << controller->get("/api/devices").raw;

  auto first = controller->post("/api/deploy", {{"device", "nano-m"}, {"model_name", "mobilenetv2_050"}});
  ASSERT_EQ(first.status, 200) << first.raw << agent->log_tail();
  EXPECT_EQ(first.body["deployment_status"], "succeeded");
  EXPECT_TRUE(first.body["failure_kind"].is_null());
  std::vector<std::string> steps;
  for (const auto& s : first.body["steps"]) {
    steps.push_back(s["name"]);
    EXPECT_EQ(s["status"], "passed") << s.dump();
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"energy_gate", "artifact", "transfer", "activation", "health_check"}));
  std::string sha1 = first.body["sha256"];
  EXPECT_EQ(active_sha(*agent), sha1);

  auto second = controller->post("/api/deploy", {{"device", id}, {"model_name", "mobilenetv3_small_075"}});
  ASSERT_EQ(second.status, 200) << second.raw;
  std::string sha2 = second.body["sha256"];
  EXPECT_EQ(active_sha(*agent), sha2);

  auto back = controller->post("/api/devices/" + std::to_string(id) + "/rollback", nlohmann::json::object());
  ASSERT_EQ(back.status, 200) << back.raw;
  EXPECT_EQ(back.body["sha256"], sha1);
  EXPECT_EQ(back.body["model"], "mobilenetv2_050");
  EXPECT_EQ(active_sha(*agent), sha1);

  // Telemetry arrived over MQTT with the agent's sequence numbers and its own sample times.
  EXPECT_TRUE(eventually([&] {
    return controller->get("/api/devices/" + std::to_string(id) + "/telemetry").body["count"].get<int>() >= 5;
  }));
  auto samples = controller->get("/api/devices/" + std::to_string(id) + "/telemetry").body["samples"];
  ASSERT_FALSE(samples.empty());
  EXPECT_TRUE(samples.back()["seq"].is_number()) << samples.back().dump();
  EXPECT_GT(metric(*controller, "edgeml_telemetry_samples_stored_total"), 0);
  EXPECT_EQ(metric(*controller, "edgeml_controller_mqtt_connected"), 1);
}

TEST_F(MqttFleet, AFailedMqttDeploymentRecordsItsKindAndStatus) {
  long long id = register_device("nano-f");
  TempDir dir("mqtt-agent-f");
  // A model over the agent's size limit: the agent refuses it before downloading (too_large -> 502).
  auto agent = start_mqtt_agent("nano-f", dir.path, {"--max-model-mb", "0.01"});
  ASSERT_TRUE(online(id));
  auto r = controller->post("/api/deploy", {{"device", "nano-f"}, {"model_name", "mobilenetv2_050"}});
  EXPECT_EQ(r.status, 502) << r.raw;
  EXPECT_EQ(r.body["deployment_status"], "failed");
  EXPECT_EQ(r.body["failure_kind"], "too_large") << r.raw;

  // Nothing to roll back to: refused by the agent -> 409, kind refused.
  auto back = controller->post("/api/devices/" + std::to_string(id) + "/rollback", nlohmann::json::object());
  EXPECT_EQ(back.status, 409) << back.raw;
  EXPECT_EQ(back.body["failure_kind"], "refused") << back.raw;
}

TEST_F(MqttFleet, PresenceFollowsTheLastWillAndACleanShutdown) {
  long long id = register_device("nano-p");
  TempDir dir("mqtt-agent-p");
  auto agent = start_mqtt_agent("nano-p", dir.path);
  ASSERT_TRUE(online(id));
  agent->kill_hard();  // the link dies without a DISCONNECT: the broker publishes the last will
  ASSERT_TRUE(online(id, false, 15)) << device_json(*controller, id).dump();
  EXPECT_EQ(device_json(*controller, id)["last_error"], "offline: connection_lost");

  agent = start_mqtt_agent("nano-p", dir.path);
  ASSERT_TRUE(online(id)) << device_json(*controller, id).dump();
  agent->terminate();
  ASSERT_TRUE(online(id, false, 15));
  EXPECT_EQ(device_json(*controller, id)["last_error"], "offline: clean_shutdown");
}

TEST_F(MqttFleet, ACommandSentWhileTheAgentIsAwayRunsExactlyOnceAfterItReconnects) {
  long long id = register_device("nano-c");
  TempDir dir("mqtt-agent-c");
  auto agent = start_mqtt_agent("nano-c", dir.path);
  ASSERT_TRUE(online(id));
  agent->terminate();
  ASSERT_TRUE(online(id, false));

  auto started = controller->post("/api/deploy?async=true", {{"device", "nano-c"}, {"model_name", "mobilenetv2_050"}});
  ASSERT_EQ(started.status, 202) << started.raw;
  long long dep = started.body["deployment_id"];
  std::this_thread::sleep_for(std::chrono::seconds(1));
  // The controller restarts while the command waits: it is stored, not lost.
  controller->terminate();
  start_controller_now();

  // A second deployment to the away agent, made by the restarted controller: it reaches the agent when it returns,
  // both from the broker's queue of the agent's session and from the controller's resend on "online" -- once.
  auto again =
      controller->post("/api/deploy?async=true", {{"device", "nano-c"}, {"model_name", "mobilenetv3_small_075"}});
  ASSERT_EQ(again.status, 202) << again.raw;
  long long dep2 = again.body["deployment_id"];
  std::this_thread::sleep_for(std::chrono::seconds(1));
  agent = start_mqtt_agent("nano-c", dir.path);
  ASSERT_TRUE(eventually([&] {
    return controller->get("/api/deployments/" + std::to_string(dep2)).body["deployment_status"] == "succeeded";
  })) << controller->get("/api/deployments/" + std::to_string(dep2)).raw
      << agent->log_tail();
  std::string sha2 = controller->get("/api/deployments/" + std::to_string(dep2)).body["sha256"];
  std::this_thread::sleep_for(std::chrono::seconds(2));  // any duplicate delivery has arrived by now
  auto log = agent->log_tail(200000);
  std::string id2 = "deploy-" + std::to_string(dep2) + "-";
  EXPECT_EQ(count_of(log, "MQTT: command " + id2), 2u) << log;  // "accepted" and its outcome, once each
  // The first deployment was interrupted by the restart (recorded so); its stored command still ran once, before.
  EXPECT_EQ(controller->get("/api/deployments/" + std::to_string(dep)).body["failure_kind"], "interrupted");
  EXPECT_EQ(count_of(log, "MQTT: command deploy-" + std::to_string(dep) + "-"), 2u) << log;
  EXPECT_EQ(active_sha(*agent), sha2);
}

TEST_F(MqttFleet, TelemetryHasNoGapAcrossAControllerRestartAndABrokerRestart) {
  long long id = register_device("nano-t");
  TempDir dir("mqtt-agent-t");
  auto agent = start_mqtt_agent("nano-t", dir.path);
  ASSERT_TRUE(online(id));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  controller->terminate();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the broker queues for the controller's session
  start_controller_now();
  auto url = "/api/devices/" + std::to_string(id) + "/telemetry?since=0";
  nlohmann::json samples;
  std::set<long long> seqs;
  auto read_seqs = [&] {
    samples = controller->get(url).body["samples"];
    seqs.clear();
    for (const auto& s : samples)
      if (s["seq"].is_number()) seqs.insert(s["seq"].get<long long>());
    return seqs.empty() ? 0LL : *seqs.rbegin();
  };
  std::this_thread::sleep_for(std::chrono::seconds(2));
  broker->stop();
  long long before_outage = read_seqs();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the agent spools (5 Hz: ~15 samples)
  broker->start();
  // The spooled samples and the new ones arrive once the agent is back (its reconnect backoff decides when).
  ASSERT_TRUE(eventually([&] { return read_seqs() >= before_outage + 25; }, 40))
      << "before the outage " << before_outage << ", now " << read_seqs();
  agent->terminate();

  // Everything stored is a contiguous run of sequence numbers from 1: nothing lost across either restart.
  read_seqs();
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(static_cast<long long>(seqs.size()), *seqs.rbegin() - *seqs.begin() + 1)
      << "stored " << seqs.size() << " samples, seq " << *seqs.begin() << ".." << *seqs.rbegin();
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(samples.size(), seqs.size());  // no sample stored twice
  // Times are the agent's, increasing with seq.
  for (size_t i = 1; i < samples.size(); ++i)
    EXPECT_GT(samples[i]["t"].get<double>(), samples[i - 1]["t"].get<double>());
}

TEST_F(MqttFleet, BadMqttInputIsCountedAndTheControllerKeepsServing) {
  register_device("nano-b");
  mqtt::testing::LoopedClient rogue(mqtt::testing::test_options(broker->url(), "rogue"));
  ASSERT_TRUE(mqtt::testing::wait_until([&] { return rogue->connected(); }));
  double before = metric(*controller, "edgeml_telemetry_messages_refused_total{reason=\"malformed\"}");
  rogue->publish("edgeml/nano-b/telemetry", "not json");
  rogue->publish("edgeml/nano-b/telemetry", R"({"v": 99, "device": "nano-b", "stream": "s", "samples": []})");
  rogue->publish("edgeml/nano-b/telemetry",
                 R"({"v": 1, "device": "other", "stream": "s", "samples": [{"seq": 1, "t": 1.0}]})");
  rogue->publish("edgeml/stranger/telemetry",
                 R"({"v": 1, "device": "stranger", "stream": "s", "samples": [{"seq": 1, "t": 1.0}]})");
  rogue->publish("edgeml/nano-b/telemetry", std::string(600 * 1024, 'x'));
  rogue->publish("edgeml/nano-b/events",
                 R"({"v": 1, "device": "nano-b", "command_id": "nope", "kind": "accepted", "at": 1})");
  rogue->publish("edgeml/nano-b/status", "{]");
  EXPECT_TRUE(eventually(
      [&] {
        return metric(*controller, "edgeml_telemetry_messages_refused_total{reason=\"malformed\"}") >= before + 1 &&
               metric(*controller, "edgeml_telemetry_messages_refused_total{reason=\"unknown_version\"}") >= 1 &&
               metric(*controller, "edgeml_telemetry_messages_refused_total{reason=\"wrong_device\"}") >= 1 &&
               metric(*controller, "edgeml_telemetry_messages_refused_total{reason=\"unknown_device\"}") >= 1 &&
               metric(*controller, "edgeml_controller_mqtt_messages_refused_total{reason=\"malformed\"}") >= 1 &&
               metric(*controller, "edgeml_controller_mqtt_messages_refused_total{reason=\"wrong_device\"}") >= 1;
      },
      10))
      << controller->get("/metrics").raw;
  EXPECT_EQ(metric(*controller, "edgeml_telemetry_samples_stored_total"), 0);
  EXPECT_EQ(controller->get("/healthz").status, 200);
}
