// The real edgeml-agent executable on 127.0.0.1: store, activate, infer, rollback, restart, security and bad input.
#include <gtest/gtest.h>

#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "agent_test_support.hpp"
#include "common/sha256.hpp"

using namespace edgeml::agent_test;
using nlohmann::json;

namespace {

// 48 float32 values where channel c holds c+1: the tiny model answers [scale, 2 scale, 3 scale].
std::string channel_tensor() {
  std::vector<float> v(48);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 16; ++i) v[c * 16 + i] = static_cast<float>(c + 1);
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

json body_of(const httplib::Result& r) { return json::parse(r->body); }

}  // namespace

TEST(AgentHttp, UploadActivateInferAndStatus) {
  TempDir dir;
  AgentProcess agent(dir.path / "state");
  auto a = tiny_onnx(2.0f);
  auto r = agent.put_model("tiny", a, "", "?activate=true");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  auto st = agent.status();
  EXPECT_EQ(active_sha(st), edgeml::sha256_hex(a));
  EXPECT_EQ(st["active_model"]["name"], "tiny");
  EXPECT_EQ(st["active_model"]["format"], "onnx");
  EXPECT_EQ(st["runtime"]["state"], "running");
  EXPECT_FALSE(st["active_model"]["backend"].get<std::string>().empty());
  EXPECT_TRUE(st["device"]["cores"].is_number());
  EXPECT_TRUE(std::filesystem::exists(dir.path / "state/models/tiny" / (edgeml::sha256_hex(a) + ".onnx")));

  // Raw float32 tensor: the answer is computed by the model, so it depends on the input and the scale.
  auto c = agent.client();
  auto inf = c.Post("/infer?k=3", channel_tensor(), "application/octet-stream");
  ASSERT_TRUE(inf);
  ASSERT_EQ(inf->status, 200) << inf->body;
  auto j = body_of(inf);
  ASSERT_EQ(j["top_k"].size(), 3u);
  EXPECT_EQ(j["top_k"][0]["index"], 2);
  EXPECT_NEAR(j["top_k"][0]["value"].get<double>(), 6.0, 1e-5);
  EXPECT_NEAR(j["top_k"][2]["value"].get<double>(), 2.0, 1e-5);
  EXPECT_GT(j["latency_s"].get<double>(), 0.0);

  // A PNG, decoded and resized to 4x4: a pure red image gives channel 0 (R) = 1 without normalisation.
  cv::Mat red(32, 48, CV_8UC3, cv::Scalar(0, 0, 255));  // BGR
  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", red, png));
  auto img = c.Post("/infer?normalize=none&k=1", std::string(png.begin(), png.end()), "image/png");
  ASSERT_TRUE(img);
  ASSERT_EQ(img->status, 200) << img->body;
  EXPECT_EQ(body_of(img)["top_k"][0]["index"], 0);
  EXPECT_NEAR(body_of(img)["top_k"][0]["value"].get<double>(), 2.0, 1e-5);

  auto bad = c.Post("/infer", "not an image", "image/png");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body_of(bad)["field"], "body");
  auto st2 = agent.status();
  EXPECT_EQ(st2["inference"]["requests"]["count"], 2);
}

TEST(AgentHttp, RollbackAndRestartKeepTheChoice) {
  TempDir dir;
  auto a = tiny_onnx(1.0f), b = tiny_onnx(3.0f);
  std::string sha_a = edgeml::sha256_hex(a), sha_b = edgeml::sha256_hex(b);
  {
    AgentProcess agent(dir.path / "state");
    ASSERT_EQ(agent.put_model("m", a, "", "?activate=1")->status, 201);
    ASSERT_EQ(agent.put_model("m", b)->status, 201);
    EXPECT_EQ(active_sha(agent.status()), sha_a);  // storing does not activate
    auto act = agent.activate("m", sha_b);
    ASSERT_EQ(act->status, 200) << act->body;
    EXPECT_EQ(active_sha(agent.status()), sha_b);
    EXPECT_EQ(agent.status()["previous_model"]["sha256"], sha_a);

    auto list = body_of(agent.client().Get("/models"));
    ASSERT_EQ(list["models"].size(), 2u);
    for (auto& m : list["models"]) EXPECT_EQ(m["active"].get<bool>(), m["sha256"] == sha_b);

    auto rb = agent.client().Post("/rollback");
    ASSERT_EQ(rb->status, 200) << rb->body;
    EXPECT_EQ(active_sha(agent.status()), sha_a);
    EXPECT_EQ(agent.terminate(), 0);
  }
  AgentProcess again(dir.path / "state");
  auto st = again.status();
  EXPECT_EQ(active_sha(st), sha_a);
  EXPECT_EQ(st["runtime"]["state"], "running");
  EXPECT_EQ(st["previous_model"]["sha256"], sha_b);
}

TEST(AgentHttp, KeepsOnlyTheLastVersions) {
  TempDir dir;
  AgentProcess agent(dir.path / "state", {"--keep-versions", "2"});
  std::vector<std::string> shas;
  for (int i = 1; i <= 4; ++i) {
    auto m = tiny_onnx(static_cast<float>(i));
    shas.push_back(edgeml::sha256_hex(m));
    ASSERT_EQ(agent.put_model("k", m, "", "?activate=1")->status, 201);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // distinct modification times
  }
  auto list = body_of(agent.client().Get("/models"))["models"];
  std::set<std::string> present;
  for (auto& m : list) present.insert(m["sha256"]);
  EXPECT_EQ(present, (std::set<std::string>{shas[2], shas[3]}));
}

TEST(AgentHttp, ContinuousLoopReportsStats) {
  TempDir dir;
  AgentProcess agent(dir.path / "state", {"--infer-hz", "50"});
  ASSERT_EQ(agent.put_model("loop", tiny_onnx(1.0f), "", "?activate=1")->status, 201);
  json loop;
  for (int i = 0; i < 100; ++i) {
    loop = agent.status()["inference"]["loop"];
    if (loop["count"].get<int>() >= 20) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(loop["count"].get<int>(), 20) << loop.dump();
  EXPECT_GT(loop["latency_p50_s"].get<double>(), 0.0);
  EXPECT_GE(loop["latency_p99_s"].get<double>(), loop["latency_p50_s"].get<double>());
  EXPECT_GT(loop["throughput_per_s"].get<double>(), 10.0);  // asked for 50 Hz on a model that takes microseconds
  EXPECT_LE(loop["throughput_per_s"].get<double>(), 60.0);
  auto metrics = agent.client().Get("/metrics");
  ASSERT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("edgeml_agent_inferences_total"), std::string::npos);
  EXPECT_NE(metrics->body.find("edgeml_agent_http_requests_total{method=\"GET\",route=\"/status\""), std::string::npos);
  EXPECT_NE(metrics->body.find("edgeml_memory_total_bytes"), std::string::npos);  // telemetry
}

TEST(AgentHttp, TokenGuardsMutatingEndpoints) {
  TempDir dir;
  const std::string token = "s3cret-token-for-agent-test";
  AgentProcess agent(dir.path / "state", {"--token", token});
  auto c = agent.client();  // no token
  auto r = c.Post("/rollback");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body_of(r)["field"], "Authorization");
  EXPECT_EQ(agent.put_model("x", tiny_onnx(1))->status, 401);
  c.set_bearer_token_auth("wrong");
  EXPECT_EQ(c.Post("/rollback")->status, 401);
  EXPECT_EQ(agent.client().Get("/status")->status, 200);  // reading needs no token
  agent.token = token;
  EXPECT_EQ(agent.client().Post("/rollback")->status, 409);  // authorised; nothing to roll back to
  EXPECT_EQ(agent.put_model("x", tiny_onnx(1))->status, 201);
  EXPECT_EQ(agent.log_tail(100000).find(token), std::string::npos) << "the token must never be logged";
}

TEST(AgentHttp, RefusesAPublicAddressWithoutToken) {
  TempDir dir;
  edgeml::testing::ChildProcess p({edgeml::testing::bin("edgeml-agent"), "--host", "0.0.0.0", "--port", "0", "--state",
                                   (dir.path / "state").string()},
                                  {{"EDGEML_AGENT_TOKEN", ""}});
  EXPECT_THROW(p.wait_for_port(std::chrono::seconds(20)), std::runtime_error);
  EXPECT_NE(p.stderr_tail().find("without a token"), std::string::npos) << p.stderr_tail();
}

TEST(AgentHttp, BadInputNamesTheField) {
  TempDir dir;
  AgentProcess agent(dir.path / "state");
  auto c = agent.client();
  auto expect_field = [](const httplib::Result& r, int status, const std::string& field) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    auto j = json::parse(r->body);
    EXPECT_EQ(j.value("field", ""), field) << r->body;
    EXPECT_FALSE(j.value("error", "").empty());
  };
  expect_field(c.Post("/deploy", "{not json", "application/json"), 400, "body");
  expect_field(
      c.Post("/deploy", R"({"model_name":"m","model_url":"http://127.0.0.1:1/x","size":10})", "application/json"), 400,
      "sha256");
  std::string sha(64, 'a');
  expect_field(
      c.Post("/deploy", json{{"model_name", "m"}, {"model_url", "ftp://h/x"}, {"sha256", sha}, {"size", 10}}.dump(),
             "application/json"),
      400, "model_url");
  expect_field(c.Post("/deploy",
                      json{{"model_name", "../etc"}, {"model_url", "http://h/x"}, {"sha256", sha}, {"size", 10}}.dump(),
                      "application/json"),
               400, "model_name");
  expect_field(
      c.Post("/deploy", json{{"model_name", "m"}, {"model_url", "http://h/x"}, {"sha256", sha}, {"size", "10"}}.dump(),
             "application/json"),
      400, "size");
  expect_field(agent.put_model("bad$name", "x"), 400, "name");
  expect_field(agent.put_model(std::string(129, 'n'), "x"), 400, "name");
  expect_field(agent.put_model("m", "x", "1234"), 400, "X-Content-SHA256");
  expect_field(agent.activate("m", "zz"), 400, "sha256");
  auto missing = agent.activate("m", sha);
  EXPECT_EQ(missing->status, 404);
  expect_field(c.Post("/infer", "x", "text/plain"), 409, "");  // no model yet
  expect_field(c.Get("/telemetry/history?since=abc"), 400, "since");
  expect_field(c.Post("/benchmark", R"({"iterations": -1})", "application/json"), 400, "iterations");
  expect_field(c.Post("/energy", R"({"power_w": "x", "ts": 1, "source": "m"})", "application/json"), 400, "power_w");
  auto too_big = RawUpload(agent.port(), "POST", "/deploy", "Content-Type: application/json\r\n", 2 << 20).response();
  EXPECT_NE(too_big.find(" 413 "), std::string::npos) << too_big;
  EXPECT_NE(too_big.find("\"field\":\"body\""), std::string::npos) << too_big;
  EXPECT_EQ(agent.status()["runtime"]["state"], "stopped");  // still alive and well
}

TEST(AgentHttp, BenchmarkReturnsACatalogRow) {
  TempDir dir;
  AgentProcess agent(dir.path / "state");
  auto c = agent.client();
  EXPECT_EQ(c.Post("/benchmark", "{}", "application/json")->status, 409);  // nothing active yet
  ASSERT_EQ(agent.put_model("bench", tiny_onnx(1.0f), "", "?activate=1")->status, 201);
  auto r = c.Post("/benchmark", R"({"iterations": 20, "warmup": 2, "runs": 2})", "application/json");
  ASSERT_TRUE(r);
  if (r->status == 503) GTEST_SKIP() << "agent built without src/bench: " << r->body;
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = json::parse(r->body);
  EXPECT_EQ(j["model"], "bench");
  EXPECT_GT(j["row"]["latency_avg_s"].get<double>(), 0.0);
  EXPECT_GT(j["row"]["throughput_iter_per_s"].get<double>(), 0.0);
  // This VM has no power sensor: energy is absent with the reason, never a number.
  if (!j["energy"]["available"].get<bool>()) {
    EXPECT_FALSE(j["energy"].value("reason", "").empty());
    EXPECT_TRUE(j["row"]["energy_avg_mwh"].is_null()) << j.dump(2);
  }
}

TEST(AgentHttp, TelemetryFromAJetsonNanoTree) {
  // A copy of the Jetson Nano (L4T 32) fixture: INA3221 rails, POM_5V_IN = 933 mW is the board total.
  TempDir dir;
  std::filesystem::copy(std::string(EDGEML_FIXTURES_DIR) + "/jetson_nano_l4t32", dir.path / "nano",
                        std::filesystem::copy_options::recursive);
  AgentProcess agent(dir.path / "state", {"--sysfs-root", (dir.path / "nano/sys").string(), "--procfs-root",
                                          (dir.path / "nano/proc").string(), "--telemetry-hz", "10"});
  ASSERT_EQ(agent.put_model("nano", tiny_onnx(1.0f), "", "?activate=1")->status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  auto c = agent.client();
  auto t = json::parse(c.Get("/telemetry")->body);
  ASSERT_TRUE(t["power"]["available"].get<bool>()) << t.dump(2);
  EXPECT_NEAR(t["power"]["total_watts"].get<double>(), 0.933, 1e-9);
  // Energy while this model is active: constant 0.933 W integrated over the samples so far.
  auto e = agent.status()["energy"];
  ASSERT_TRUE(e["available"].get<bool>()) << e.dump();
  EXPECT_EQ(e["model"], "nano");
  EXPECT_GT(e["seconds"].get<double>(), 0.2);
  EXPECT_NEAR(e["energy_j"].get<double>() / e["seconds"].get<double>(), 0.933, 1e-6);
  auto h = json::parse(c.Get("/telemetry/history?since=0")->body);
  EXPECT_GE(h["samples"].size(), 3u);
  EXPECT_GE(h["capacity"].get<int>(), 3600);
  auto m = c.Get("/metrics")->body;
  EXPECT_NE(m.find("edgeml_power_watts{rail=\"POM_5V_IN\",source=\"ina3221x\",total=\"true\"} 0.933"),
            std::string::npos)
      << m.substr(0, 3000);
  EXPECT_NE(m.find("edgeml_model_energy_joules{model=\"nano\"}"), std::string::npos);
}
