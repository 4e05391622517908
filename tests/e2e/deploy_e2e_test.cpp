// A real edgeml-controller and two real edgeml-agents (Jetson Nano and Raspberry Pi 5 fixture trees) on 127.0.0.1.
// Agents pull models through a small proxy in this test, which can cut a transfer half-way (a flaky link).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/files.hpp"
#include "common/sha256.hpp"
#include "deploy_support.hpp"
#include "onnx/zoo.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;

namespace {

// Forwards GET /models/<file> to the controller; with `cut` set, sends half the file and drops the connection.
class CuttingProxy {
 public:
  CuttingProxy() {
    server.Get(R"(/models/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      httplib::Client up("127.0.0.1", upstream_port.load());
      auto r = up.Get(req.path);
      if (!r) {
        res.status = 502;
        return;
      }
      res.status = r->status;
      auto body = std::make_shared<std::string>(r->body);
      bool cut_now = cut.load();
      if (cut_now) ++cuts;
      res.set_content_provider(body->size(), "application/octet-stream",
                               [body, cut_now](size_t offset, size_t length, httplib::DataSink& sink) {
                                 if (cut_now) {
                                   sink.write(body->data(), body->size() / 2);
                                   return false;
                                 }
                                 sink.write(body->data() + offset, length);
                                 return true;
                               });
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~CuttingProxy() {
    server.stop();
    thread.join();
  }
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<int> upstream_port{0};
  std::atomic<bool> cut{false};
  std::atomic<int> cuts{0};
};

std::string active_sha(const Service& agent) {
  auto s = agent.get("/status");
  return s.body["active_model"].is_object() ? s.body["active_model"].value("sha256", "") : "";
}

}  // namespace

class DeployE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    proxy = std::make_unique<CuttingProxy>();
    // A short benchmark window after each deploy (the default is 10 s): these agents have power sources.
    controller = start_controller(controller_state("e2e", true),
                                  {"--poll-interval", "0.5", "--window-seconds", "0.5", "--public-url",
                                   "http://127.0.0.1:" + std::to_string(proxy->port)});
    proxy->upstream_port = controller->port();
    nano = start_agent("jetson_nano_l4t32", nano_dir.path, {"--infer-hz", "5"});
    pi = start_agent("rpi5", pi_dir.path, {"--infer-hz", "5"});
    auto a = controller->post("/api/devices",
                              {{"name", "nano"}, {"address", nano->address()}, {"device_type", "jetson_nano"}});
    ASSERT_EQ(a.status, 201) << a.raw;
    nano_id = a.body["device"]["id"];
    auto b = controller->post("/api/devices", {{"name", "pi"}, {"address", pi->address()}, {"device_type", "rpi5"}});
    ASSERT_EQ(b.status, 201) << b.raw;
    pi_id = b.body["device"]["id"];
  }

  TempDir nano_dir{"e2e-nano"}, pi_dir{"e2e-pi"};
  std::unique_ptr<CuttingProxy> proxy;
  std::unique_ptr<Service> controller, nano, pi;
  long long nano_id = 0, pi_id = 0;
};

TEST_F(DeployE2E, DeployWatchRefuseSurviveACutAndRollBack) {
  // 1. A zoo model within budget (catalog: 4.82 mWh on jetson_nano), addressed the original way (bbb_ip).
  auto first = controller->post(
      "/api/deploy", {{"bbb_ip", nano->address()}, {"model_name", "mobilenetv3_small_075"}, {"max_energy", 50}});
  ASSERT_EQ(first.status, 200) << first.raw << controller->log_tail();
  for (const char* k : {"status", "message", "model", "predicted_energy", "device_ip", "deployment_id", "step_times"})
    EXPECT_TRUE(first.body.contains(k)) << k;
  EXPECT_EQ(first.body["status"], "success");
  EXPECT_EQ(first.body["device_ip"], nano->address());
  EXPECT_EQ(first.body["energy_source"], "measured");
  EXPECT_NE(first.body["artifact_source"].get<std::string>().find("generated, placeholder weights"), std::string::npos);
  for (const char* step : {"energy_gate", "artifact", "transfer", "activation", "health_check"})
    EXPECT_TRUE(first.body["step_times"].contains(step)) << step;
  std::string sha1 = first.body["sha256"];
  // The store serves exactly the bytes the agent verified and runs.
  auto file = controller->client().Get("/models/mobilenetv3_small_075.onnx");
  ASSERT_TRUE(file);
  EXPECT_EQ(sha256_hex(file->body), sha1);
  EXPECT_EQ(active_sha(*nano), sha1);
  EXPECT_TRUE(eventually([&] {
    auto s = nano->get("/status").body;
    return s["runtime"]["state"] == "running" && s["inference"]["loop"]["count"].get<long long>() > 0;
  })) << nano->get("/status").raw;

  // 2. Telemetry reaches the controller and the device shows online.
  EXPECT_TRUE(eventually([&] {
    return controller->get("/api/devices/" + std::to_string(nano_id) + "/telemetry").body["count"].get<int>() >= 2;
  })) << controller->log_tail();
  auto devs = controller->get("/api/devices").body["devices"];
  for (const auto& d : devs) EXPECT_EQ(d["status"], "online") << d.dump();
  auto tele = controller->get("/api/devices/" + std::to_string(nano_id) + "/telemetry?step=60").body;
  EXPECT_GE(tele["count"].get<int>(), 1);
  EXPECT_TRUE(tele["samples"][0]["memory_used_ratio"].is_number()) << tele.dump();
  // The live stream: the latest stored sample at once, then each new one as the poller stores it.
  std::string live;
  int samples_seen = 0;
  controller->client().Get(
      "/api/devices/" + std::to_string(nano_id) + "/telemetry/stream", [&](const char* data, size_t n) {
        live.append(std::string(data, n));
        samples_seen = 0;
        for (size_t p = live.find("event: sample"); p != std::string::npos; p = live.find("event: sample", p + 1))
          ++samples_seen;
        return samples_seen < 2;  // one stored + one new, then hang up
      });
  EXPECT_GE(samples_seen, 2) << live;

  // 3. Over budget (resnet18: 89.9 mWh measured) -> 409 with both figures; nothing changes on the device.
  auto over = controller->post("/api/deploy", {{"device", "nano"}, {"model_name", "resnet18"}, {"max_energy", 50}});
  EXPECT_EQ(over.status, 409) << over.raw;
  EXPECT_NEAR(over.body["model_energy"].get<double>(), 89.9452, 1e-3);
  EXPECT_EQ(over.body["energy_budget_mwh"], 50);
  EXPECT_EQ(active_sha(*nano), sha1);

  // 4. A transfer cut half-way fails the deployment and leaves the previous model active and running.
  proxy->cut = true;
  auto cut = controller->post("/api/deploy", {{"device", nano_id}, {"model_name", "mobilenetv2_050"}});
  proxy->cut = false;
  EXPECT_EQ(cut.status, 502) << cut.raw;
  EXPECT_EQ(cut.body["status"], "failed");
  EXPECT_GE(proxy->cuts.load(), 1);
  EXPECT_EQ(active_sha(*nano), sha1);
  EXPECT_EQ(nano->get("/status").body["runtime"]["state"], "running");

  // 5. A staged rollout to both devices, followed live through server-sent events.
  auto started =
      controller->post("/api/deploy?async=true", {{"devices", {"nano", "pi"}}, {"model_name", "mobilenetv2_050"}});
  ASSERT_EQ(started.status, 202) << started.raw;
  long long live_id = started.body["deployment_ids"][0];
  std::string stream;
  auto c = controller->client();
  c.Get("/api/deployments/" + std::to_string(live_id) + "/events", [&](const char* data, size_t n) {
    stream.append(data, n);
    return true;
  });
  for (const char* step : {"\"name\":\"energy_gate\"", "\"name\":\"transfer\"", "\"name\":\"activation\"",
                           "\"name\":\"health_check\"", "event: progress", "event: done"})
    EXPECT_NE(stream.find(step), std::string::npos) << step << "\n" << stream;
  long long pi_dep = started.body["deployment_ids"][1];
  EXPECT_TRUE(eventually([&] {
    return controller->get("/api/deployments/" + std::to_string(pi_dep)).body["deployment_status"] == "succeeded";
  })) << controller->get("/api/deployments/" + std::to_string(pi_dep)).raw;
  std::string sha2 = controller->get("/api/deployments/" + std::to_string(live_id)).body["sha256"];
  EXPECT_EQ(active_sha(*nano), sha2);
  EXPECT_EQ(active_sha(*pi), sha2);
  // The Pi 5 agent's power comes from its PMIC (vcgencmd pmic_read_adc), summed over rails, and says what it leaves
  // out.
  auto pi_power = pi->get("/telemetry").body["power"];
  EXPECT_EQ(pi_power["available"], true) << pi_power.dump();
  EXPECT_EQ(pi_power["source"], "pmic_adc") << pi_power.dump();

  // 5b. A rollout whose first device is dead stops there (max_failures 1): the others are skipped, untouched.
  ASSERT_EQ(
      controller->post("/api/devices", {{"name", "dead"}, {"address", "127.0.0.1:1"}, {"device_type", "jetson_nano"}})
          .status,
      201);
  auto staged = controller->post(
      "/api/deploy",
      {{"devices", {"dead", "nano", "pi"}}, {"model_name", "mobilenetv3_small_075"}, {"max_failures", 1}});
  EXPECT_NE(staged.status, 200) << staged.raw;
  ASSERT_EQ(staged.body["deployments"].size(), 3u) << staged.raw;
  EXPECT_EQ(staged.body["deployments"][0]["deployment_status"], "failed");
  EXPECT_EQ(staged.body["deployments"][1]["deployment_status"], "skipped");
  EXPECT_EQ(staged.body["deployments"][2]["deployment_status"], "skipped");
  EXPECT_EQ(active_sha(*nano), sha2);
  // The poller marks the dead device offline with the reason.
  EXPECT_TRUE(eventually([&] {
    auto list = controller->get("/api/devices").body;
    for (const auto& d : list["devices"])
      if (d["name"] == "dead") return d["status"] == "offline" && d["last_error"].is_string();
    return false;
  })) << controller->get("/api/devices").raw;

  // 6. Rollback brings the first model back.
  auto back = controller->post("/api/devices/" + std::to_string(nano_id) + "/rollback", nlohmann::json::object());
  EXPECT_EQ(back.status, 200) << back.raw;
  EXPECT_EQ(active_sha(*nano), sha1);
  EXPECT_EQ(back.body["sha256"], sha1);

  // 7. The log has all of it, newest first; the energy comparison names each device's active deployment.
  auto logs = controller->get("/api/logs?limit=20").body["logs"];
  std::map<std::string, int> statuses;
  for (const auto& l : logs) ++statuses[l["status"].get<std::string>()];
  EXPECT_EQ(statuses["rejected"], 1);
  EXPECT_GE(statuses["succeeded"], 4);
  EXPECT_EQ(statuses["failed"], 2);  // the cut transfer and the dead device
  auto compare = controller->get("/api/energy/compare");
  EXPECT_EQ(compare.status, 200);
  EXPECT_EQ(compare.body["count"], 2);  // nano and pi; the dead device never ran anything
  for (const auto& row : compare.body["devices"])
    EXPECT_TRUE(row["measured_per_inference_mj"].is_number() || row.contains("measured_unavailable")) << row.dump();
}

TEST(DeployCrash, KilledControllerShowsTheDeploymentInterrupted) {
  TempDir agent_dir("crash-agent");
  auto state = controller_state("e2e-crash", true);
  auto agent =
      start_agent("jetson_nano_l4t32", agent_dir.path, {}, {{"EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS", "8000"}});
  auto controller = start_controller(state);
  ASSERT_EQ(
      controller
          ->post("/api/devices", {{"name", "nano"}, {"address", agent->address()}, {"device_type", "jetson_nano"}})
          .status,
      201);
  auto started =
      controller->post("/api/deploy", {{"device", "nano"}, {"model_name", "mobilenetv2_050"}, {"async", true}});
  ASSERT_EQ(started.status, 202) << started.raw;
  std::string id = std::to_string(started.body["deployment_id"].get<long long>());
  // Wait until the agent is activating (the file is transferred), then kill the controller mid-deploy.
  ASSERT_TRUE(eventually([&] {
    auto steps = controller->get("/api/deployments/" + id).body["steps"];
    for (const auto& s : steps)
      if (s["name"] == "transfer" && s["status"] == "passed") return true;
    return false;
  })) << controller->get("/api/deployments/" + id).raw;
  EXPECT_EQ(controller->get("/api/deployments/" + id).body["deployment_status"], "running");
  controller->kill_hard();
  controller = start_controller(state);
  auto after = controller->get("/api/deployments/" + id);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.body["deployment_status"], "interrupted") << after.raw;
  EXPECT_NE(after.body["error"].get<std::string>().find("controller stopped"), std::string::npos);
  bool transfer_kept = false;
  for (const auto& s : after.body["steps"]) transfer_kept |= s["name"] == "transfer";
  EXPECT_TRUE(transfer_kept) << "steps recorded before the crash are kept";
  auto events = controller->client().Get("/api/deployments/" + id + "/events");
  ASSERT_TRUE(events);
  EXPECT_NE(events->body.find("\"status\":\"interrupted\""), std::string::npos) << events->body;
}

// A model the store and the zoo do not have comes from a configured source (a URL template), is saved in the store
// under its own name, priced by the static predictor from its inspected graph, and served byte for byte to the agent.
TEST(DeploySources, ModelFromAConfiguredSource) {
  // An ONNX model under a name the zoo does not know (the bytes of a zoo graph, as a user would bring them).
  std::string onnx_bytes = edgeml::onnx::zoo_build("mobilenetv2_050");
  httplib::Server hub;
  std::atomic<int> hits{0};
  hub.Get(R"(/hub/(.+))", [&](const httplib::Request& req, httplib::Response& res) {
    ++hits;
    if (req.matches[1] == "my_custom_net.onnx")
      res.set_content(onnx_bytes, "application/octet-stream");
    else
      res.status = 404;
  });
  int hub_port = hub.bind_to_any_port("127.0.0.1");
  std::thread hub_thread([&] { hub.listen_after_bind(); });

  TempDir agent_dir("src-agent");
  auto agent = start_agent("jetson_nano_l4t32", agent_dir.path);
  auto controller =
      start_controller(controller_state("e2e-sources", true),
                       {"--window-seconds", "0.5", "--model-source",
                        "empty=http://127.0.0.1:" + std::to_string(hub_port) + "/nothing/{name}.onnx", "--model-source",
                        "hub=http://127.0.0.1:" + std::to_string(hub_port) + "/hub/{name}.onnx"});
  ASSERT_EQ(
      controller
          ->post("/api/devices", {{"name", "nano"}, {"address", agent->address()}, {"device_type", "jetson_nano"}})
          .status,
      201);
  auto r = controller->post("/api/deploy", {{"device", "nano"}, {"model_name", "my_custom_net"}, {"max_energy", 1000}});
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["artifact_source"], "source hub");
  EXPECT_EQ(r.body["artifact_file"], "my_custom_net.onnx");
  EXPECT_EQ(r.body["energy_source"], "predicted") << "not in the catalog: priced from the inspected graph";
  EXPECT_TRUE(r.body["predicted_energy"].is_number());
  EXPECT_EQ(r.body["sha256"], edgeml::sha256_hex(onnx_bytes));
  EXPECT_EQ(active_sha(*agent), edgeml::sha256_hex(onnx_bytes));
  auto served = controller->client().Get("/models/my_custom_net.onnx");
  ASSERT_TRUE(served);
  EXPECT_EQ(served->body, onnx_bytes);

  auto none = controller->post("/api/deploy", {{"device", "nano"}, {"model_name", "no_such_model_anywhere"}});
  EXPECT_EQ(none.status, 404) << none.raw;
  EXPECT_NE(none.body["message"].get<std::string>().find("tried the store, 2 source(s) and the zoo"), std::string::npos)
      << none.raw;
  hub.stop();
  hub_thread.join();
}
