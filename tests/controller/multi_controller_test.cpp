// Two real edgeml-controllers on one real PostgreSQL (tests/support/postgres_server) serving the same LAN agents:
// reads answered by either, a deployment started on one followed (GET and SSE) on the other, and a staged rollout
// whose controller is SIGKILLed mid-way completed by the other, with each agent deployed exactly once. Agents slow
// their activation with the test hook, so the rollout is still running when its controller dies.
#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "deploy_support.hpp"
#include "mosquitto_broker.hpp"
#include "postgres_server.hpp"
#include "temp_dir.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;

namespace {

constexpr const char* kModel = "mobilenetv2_050";

// The controller on a port chosen here, so its --public-url (where agents pull models) is known before it starts.
std::unique_ptr<Service> start_on(const std::string& name, const std::string& db, const std::filesystem::path& models,
                                  int port) {
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  return start_controller(controller_state(name, true),
                          {"--db", db, "--models", models.string(), "--port", std::to_string(port), "--public-url", url,
                           "--instance-id", name, "--lease-s", "2", "--poll-interval", "0.5",
                           // no post-deploy benchmark window: the rollout's pace is the agents' activation delay
                           "--window-seconds", "0"});
}

// How many times the agent activated the model with this sha256 (its history, kept in its state file).
int activations(const Service& agent, const std::string& sha256) {
  int n = 0;
  auto models = agent.get("/models");
  for (const auto& e : models.body["history"])
    if (e.value("sha256", "") == sha256) ++n;
  return n;
}

bool step_passed(const nlohmann::json& deployment, const std::string& step) {
  for (const auto& s : deployment["steps"])
    if (s["name"] == step && s["status"] == "passed") return true;
  return false;
}

}  // namespace

class TwoControllers : public ::testing::Test {
 protected:
  void SetUp() override {
    db = edgeml::testing::PostgresServer::shared().create_database("multi" + std::to_string(::getpid()));
    a = start_on("ctl-a", db, models.path, edgeml::testing::free_port());
    b = start_on("ctl-b", db, models.path, edgeml::testing::free_port());
    for (int i = 0; i < 3; ++i) {
      // 5 s inside each activation: a three-device rollout takes ~15 s.
      agents.push_back(start_agent("jetson_nano_l4t32", agent_dirs[i].path, {"--infer-hz", "2"},
                                   {{"EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS", "5000"}}));
      auto r = a->post(
          "/api/devices",
          {{"name", "nano" + std::to_string(i)}, {"address", agents[i]->address()}, {"device_type", "jetson_nano"}});
      ASSERT_EQ(r.status, 201) << r.raw;
    }
  }

  std::string db;
  TempDir models{"multi-models"};
  TempDir agent_dirs[3] = {TempDir{"multi-a0"}, TempDir{"multi-a1"}, TempDir{"multi-a2"}};
  std::unique_ptr<Service> a, b;
  std::vector<std::unique_ptr<Service>> agents;
};

TEST_F(TwoControllers, RolloutFollowedOnTheOtherAndCompletedThereAfterSigkill) {
  // Reads: devices registered through A are listed by B.
  auto listed = b->get("/api/devices");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["devices"].size(), 3u) << listed.raw;

  auto started =
      a->post("/api/deploy",
              {{"devices", {"nano0", "nano1", "nano2"}}, {"model_name", kModel}, {"max_failures", 1}, {"async", true}});
  ASSERT_EQ(started.status, 202) << started.raw;
  std::vector<std::string> ids;
  for (const auto& id : started.body["deployment_ids"]) ids.push_back(std::to_string(id.get<long long>()));
  ASSERT_EQ(ids.size(), 3u);

  // B follows the first deployment, run by A, over SSE: the steps A stores arrive, then "done".
  std::string streamed;
  std::thread follower([&] {
    auto client = b->client();
    client.Get("/api/deployments/" + ids[0] + "/events", [&](const char* data, size_t n) {
      streamed.append(data, n);
      return true;
    });
  });
  // Wait until A has sent the second device its command (its transfer passed; it is now activating for 5 s).
  ASSERT_TRUE(eventually([&] { return step_passed(b->get("/api/deployments/" + ids[1]).body, "transfer"); }, 60))
      << b->get("/api/deployments/" + ids[1]).raw << a->log_tail();
  follower.join();  // the first deployment has finished: its stream ended
  EXPECT_NE(streamed.find("event: step"), std::string::npos) << streamed;
  EXPECT_NE(streamed.find("\"name\":\"transfer\""), std::string::npos) << streamed;
  EXPECT_NE(streamed.find("event: done"), std::string::npos) << streamed;
  EXPECT_NE(streamed.find("\"status\":\"succeeded\""), std::string::npos) << streamed;
  EXPECT_EQ(b->get("/api/deployments/" + ids[0]).body["deployment_status"], "succeeded");
  EXPECT_EQ(b->get("/api/deployments/" + ids[2]).body["deployment_status"], "running");

  a->kill_hard();

  // B takes the rollout over within a lease period (2 s) and completes it.
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& id : ids)
          if (b->get("/api/deployments/" + id).body["deployment_status"] == "running") return false;
        return true;
      },
      90))
      << b->log_tail();
  std::string sha;
  for (const auto& id : ids) {
    auto d = b->get("/api/deployments/" + id).body;
    EXPECT_EQ(d["deployment_status"], "succeeded") << d.dump();
    sha = d["sha256"];
  }
  auto second = b->get("/api/deployments/" + ids[1]).body.dump();
  EXPECT_NE(second.find("taken over"), std::string::npos)
      << "the device was asked, not sent again: " << second << b->log_tail(6000);
  // Each agent activated the model exactly once (the second one's command was sent by A only).
  for (size_t i = 0; i < agents.size(); ++i)
    EXPECT_EQ(activations(*agents[i], sha), 1) << "agent " << i << ": " << agents[i]->get("/models").raw;

  // The background work moved too: B now polls the agents (their telemetry keeps arriving with A dead).
  auto count = [&] { return b->get("/api/devices/1/telemetry").body["count"].get<int>(); };
  int before = count();
  EXPECT_TRUE(eventually([&] { return count() > before + 1; }, 20)) << b->log_tail();
  EXPECT_NE(b->log_tail(20000).find("ctl-b now runs the background work"), std::string::npos);
}

// Both controllers subscribe to every device's telemetry on one broker: each message is stored once, by whichever
// controller wrote it first; the other counts it as a duplicate (unique (device, stream, seq) in the shared table).
// With --mqtt-share-group (MQTT 5 shared subscription) each message reaches one controller only: no duplicates.
class TwoControllersMqtt : public ::testing::TestWithParam<std::string> {};

TEST_P(TwoControllersMqtt, EachMessageIsStoredOnce) {
  const std::string group = GetParam() == "shared" ? "edgeml" : "";
  edgeml::testing::MosquittoBroker broker;
  static int n = 0;
  std::string db = edgeml::testing::PostgresServer::shared().create_database("mqtt" + std::to_string(::getpid()) + "_" +
                                                                             std::to_string(n++));
  std::vector<std::unique_ptr<Service>> ctl;
  for (std::string name : {"mq-a", "mq-b"}) {
    std::vector<std::string> args{"--db",   db,           "--instance-id",    name,
                                  "--mqtt", broker.url(), "--mqtt-client-id", "edgeml-" + name};
    if (!group.empty()) args.insert(args.end(), {"--mqtt-share-group", group});
    ctl.push_back(start_controller(controller_state(name, true), args));
  }
  constexpr int kDevices = 20;
  for (int i = 0; i < kDevices; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "sim-%05d", i);
    auto r = ctl[0]->post("/api/devices", {{"name", name}, {"device_type", "jetson_nano"}, {"transport", "mqtt"}});
    ASSERT_EQ(r.status, 201) << r.raw;
  }
  edgeml::testing::ChildProcess sim({edgeml::testing::bin("edgeml"), "fleet-sim", "--mqtt", broker.url(), "--devices",
                                     std::to_string(kDevices), "--hz", "4", "--seconds", "3"});
  std::string last;
  try {
    for (;;) last = sim.wait_for_line("", std::chrono::seconds(120));
  } catch (const std::runtime_error&) {
    // end of output
  }
  auto summary = nlohmann::json::parse(last);
  long long sent = summary["sent"];
  ASSERT_GT(sent, kDevices * 4);
  ASSERT_EQ(summary["acknowledged"], sent);
  auto counter = [](const Service& s, const std::string& name) {
    auto text = s.get("/metrics").raw;
    auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1LL : std::stoll(text.substr(at + name.size() + 2));
  };
  auto stored = [&] {
    return counter(*ctl[0], "edgeml_telemetry_samples_stored_total") +
           counter(*ctl[1], "edgeml_telemetry_samples_stored_total");
  };
  auto duplicates = [&] {
    return counter(*ctl[0], "edgeml_telemetry_samples_duplicate_total") +
           counter(*ctl[1], "edgeml_telemetry_samples_duplicate_total");
  };
  const long long expected_duplicates = group.empty() ? sent : 0;
  ASSERT_TRUE(eventually([&] { return stored() >= sent && duplicates() >= expected_duplicates; }, 30))
      << stored() << " stored, " << duplicates() << " duplicates of " << sent;
  EXPECT_EQ(stored(), sent) << "each message stored once";
  EXPECT_EQ(duplicates(), expected_duplicates)
      << (group.empty() ? "every message seen by the other controller as a duplicate" : "each message to one");
  if (!group.empty()) {
    EXPECT_GT(counter(*ctl[0], "edgeml_telemetry_samples_stored_total"), 0) << "the group spreads the messages";
    EXPECT_GT(counter(*ctl[1], "edgeml_telemetry_samples_stored_total"), 0) << "the group spreads the messages";
  }
  long long rows = 0;
  for (int id = 1; id <= kDevices; ++id)
    rows += ctl[1]->get("/api/devices/" + std::to_string(id) + "/telemetry").body["count"].get<long long>();
  EXPECT_EQ(rows, sent) << "the shared table holds one row per message";
}

INSTANTIATE_TEST_SUITE_P(Subscriptions, TwoControllersMqtt, ::testing::Values("every", "shared"),
                         [](const auto& info) { return info.param; });
