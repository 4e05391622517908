// The real edgeml-controller over HTTP: the artifact store (/models/<file> with Range and ETag, unsafe names),
// upload and analyze, device registration, the deployment log, and the Balena fleet listing against a local
// server answering in Balena's shape (../shared/notes/balena-api.md section 10).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "common/files.hpp"
#include "common/sha256.hpp"
#include "deploy_support.hpp"
#include "onnx/zoo.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;

namespace {

const char* kToken = "test-token-not-a-secret";

// A local stand-in for api.balena-cloud.com: checks the bearer token and the encoded query like the real API would.
class FakeBalena {
 public:
  FakeBalena() {
    server.Get("/v7/device", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (req.get_header_value("Authorization") != std::string("Bearer ") + kToken) {
        res.status = 401;
        res.set_content("Unauthorized", "text/plain");
        return;
      }
      std::string filter = req.get_param_value("$filter");
      select = req.get_param_value("$select");
      expand = req.get_param_value("$expand");
      auto slug_start = filter.find("slug eq '");
      std::string slug = slug_start == std::string::npos ? "" : filter.substr(slug_start + 9);
      slug = slug.substr(0, slug.find('\''));
      int top = std::stoi(req.get_param_value("$top"));
      int skip = std::stoi(req.get_param_value("$skip"));
      {
        std::lock_guard lock(mu);
        skips.insert(skip);
        filters.push_back(filter);
      }
      if (slug == "myorg/limited" && limited++ == 0) {
        res.status = 429;
        res.set_header("Retry-After", "1");
        res.set_content("Too Many Requests", "text/plain");
        return;
      }
      if (slug == "myorg/broken") {
        res.status = 503;
        res.set_content("<html><body>Service Unavailable</body></html>", "text/html");
        return;
      }
      if (slug == "myorg/slow") {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        res.set_content(R"({"d":[]})", "application/json");
        return;
      }
      nlohmann::json d = nlohmann::json::array();
      if (slug == "myorg/edge-fleet") {
        d.push_back({{"id", 101},
                     {"uuid", "0123456789abcdef0123456789abcdef"},
                     {"device_name", "jetson-01"},
                     {"is_online", true},
                     {"ip_address", "192.168.1.20 10.240.0.5"},
                     {"os_version", "balenaOS 2.x"},
                     {"is_of__device_type", {{{"slug", "jetson-nano"}}}}});
        d.push_back({{"id", 102},
                     {"uuid", "fedcba9876543210fedcba9876543210"},
                     {"device_name", "jetson-02"},
                     {"is_online", false},
                     {"ip_address", ""},
                     {"is_of__device_type", {{"__id", 7}}}});
      } else if (slug == "myorg/big-fleet") {
        for (int i = skip; i < std::min(skip + top, 150); ++i)
          d.push_back({{"id", i},
                       {"uuid", "u" + std::to_string(i)},
                       {"device_name", "dev-" + std::to_string(i)},
                       {"is_online", true},
                       {"ip_address", "10.0.0." + std::to_string(i % 250)},
                       {"is_of__device_type", {{{"slug", "raspberrypi5"}}}}});
      }
      res.set_content(nlohmann::json{{"d", d}}.dump(), "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~FakeBalena() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<int> requests{0}, limited{0};
  std::mutex mu;
  std::set<int> skips;
  std::vector<std::string> filters;
  std::string select, expand;
};

class FleetHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    balena = new FakeBalena();
    controller = start_controller(controller_state("deploy-http", true), {"--balena-timeout", "1"},
                                  {{"BALENA_API_URL", balena->url()}, {"BALENA_API_TOKEN", kToken}})
                     .release();
  }
  static void TearDownTestSuite() {
    delete controller;
    delete balena;
  }
  static inline FakeBalena* balena = nullptr;
  static inline Service* controller = nullptr;
};

std::string multipart_post(const Service& s, const std::string& path, const std::string& bytes,
                           const std::string& filename, httplib::MultipartFormDataItems extra, int* status) {
  httplib::MultipartFormDataItems items{{"file", bytes, filename, "application/octet-stream"}};
  items.insert(items.end(), extra.begin(), extra.end());
  auto r = s.client().Post(path, items);
  if (!r) throw std::runtime_error("no answer");
  *status = r->status;
  return r->body;
}

}  // namespace

TEST_F(FleetHttp, UploadStoresByContentAndServesWithRangeAndEtag) {
  std::string bytes = onnx::zoo_build("mobilenetv2_050");
  int status = 0;
  auto body = nlohmann::json::parse(multipart_post(*controller, "/api/models/upload", bytes, "whatever.bin",
                                                   {{"model_name", "mnv2", "", ""}}, &status));
  ASSERT_EQ(status, 201) << body.dump();
  EXPECT_EQ(body["artifact_file"], "mnv2.onnx");
  EXPECT_EQ(body["format"], "onnx");
  EXPECT_EQ(body["sha256"], sha256_hex(bytes));
  EXPECT_GT(body["inspection"]["params"].get<double>(), 1e6);

  auto c = controller->client();
  auto whole = c.Get("/models/mnv2.onnx");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->body, bytes);
  EXPECT_EQ(whole->get_header_value("ETag"), "\"" + sha256_hex(bytes) + "\"");
  EXPECT_EQ(whole->get_header_value("Content-Length"), std::to_string(bytes.size()));

  auto part = c.Get("/models/mnv2.onnx", {{"Range", "bytes=100-199"}});
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, bytes.substr(100, 100));
  auto tail = c.Get("/models/mnv2.onnx", {{"Range", "bytes=1000-"}});
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->status, 206);
  EXPECT_EQ(tail->body, bytes.substr(1000));
  auto cached = c.Get("/models/mnv2.onnx", {{"If-None-Match", "\"" + sha256_hex(bytes) + "\""}});
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);

  auto list = controller->get("/api/artifacts");
  EXPECT_EQ(list.body["count"], 1);
}

TEST_F(FleetHttp, UnsafeArtifactNamesAre400) {
  for (std::string path : {"/models/..%2f..%2fetc%2fpasswd", "/models/%2e%2e", "/models/a%5cb.onnx",
                           "/models/a%00.onnx", "/models/.hidden", "/models/sub/dir.onnx", "/models/x%2Eonnx"}) {
    auto r = controller->get(path);
    EXPECT_EQ(r.status, 400) << path << " " << r.raw;
    EXPECT_EQ(r.body.value("field", ""), "file") << path;
  }
  EXPECT_EQ(controller->get("/models/absent.onnx").status, 404);
}

TEST_F(FleetHttp, UploadRefusesWhatIsNotAModel) {
  int status = 0;
  auto body = nlohmann::json::parse(multipart_post(*controller, "/api/models/upload", "hello", "x.onnx", {}, &status));
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["field"], "file");
  auto r = controller->client().Post("/api/models/upload", "{}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(FleetHttp, AnalyzeGivesInspectorFiguresAndStaticEnergy) {
  int status = 0;
  auto body = nlohmann::json::parse(multipart_post(*controller, "/api/models/analyze", onnx::zoo_build("resnet18"),
                                                   "resnet18.onnx", {{"device_type", "jetson_nano", "", ""}}, &status));
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["format"], "onnx");
  EXPECT_NEAR(body["params"].get<double>() / 1e6, 11.69, 0.12);
  EXPECT_NEAR(body["gmacs"].get<double>(), 1.82, 0.1);
  EXPECT_EQ(body["device_type"], "jetson_nano");
  EXPECT_EQ(body["predicted_energy"]["source"], "predicted") << body["predicted_energy"].dump();
  EXPECT_GT(body["predicted_energy_mwh"].get<double>(), 0);
  body = nlohmann::json::parse(multipart_post(*controller, "/api/models/analyze", "garbage", "g.onnx",
                                              {{"device_type", "jetson_nano", "", ""}}, &status));
  EXPECT_EQ(status, 400);
  body = nlohmann::json::parse(multipart_post(*controller, "/api/models/analyze", onnx::zoo_build("resnet18"), "r.onnx",
                                              {{"device_type", "toaster", "", ""}}, &status));
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body["field"], "device_type");
}

TEST_F(FleetHttp, DevicesRegisterAndShowOffline) {
  auto r = controller->post(
      "/api/devices",
      {{"name", "nano-a"}, {"address", "127.0.0.1:1"}, {"device_type", "jetson_nano"}, {"token", "tok"}});
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["device"]["has_token"], true);
  EXPECT_EQ(r.raw.find("\"tok\""), std::string::npos);
  EXPECT_EQ(
      controller->post("/api/devices", {{"name", "nano-a"}, {"address", "127.0.0.1:2"}, {"device_type", "jetson_nano"}})
          .status,
      409);
  EXPECT_EQ(
      controller->post("/api/devices", {{"name", "../x"}, {"address", "h:1"}, {"device_type", "x"}}).body["field"],
      "name");
  EXPECT_EQ(
      controller->post("/api/devices", {{"name", "b"}, {"address", "h:99999"}, {"device_type", "x"}}).body["field"],
      "address");
  EXPECT_EQ(controller->post("/api/devices", {{"name", "b"}, {"address", "h:1"}}).body["field"], "device_type");
  auto list = controller->get("/api/devices");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  for (const auto& d : list.body["devices"])
    if (d["name"] == "nano-a") {
      found = true;
      EXPECT_EQ(d["status"], "offline");
      EXPECT_TRUE(d["last_seen"].is_null());
    }
  EXPECT_TRUE(found);
  // Deploying to a device nobody answers for fails cleanly (503) and is logged.
  auto dep = controller->post("/api/deploy", {{"device", "nano-a"}, {"model_name", "mobilenetv2_050"}});
  EXPECT_EQ(dep.status, 503) << dep.raw;
  EXPECT_EQ(dep.body["status"], "failed");
  EXPECT_TRUE(dep.body.contains("deployment_id"));
  auto logs = controller->get("/api/logs?limit=5");
  ASSERT_EQ(logs.status, 200);
  EXPECT_EQ(logs.body["logs"][0]["deployment_id"], dep.body["deployment_id"]);
  auto csv = controller->client().Get("/api/logs/export");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.rfind("deployment_id,rollout_id,kind,", 0), 0u);
  EXPECT_NE(csv->body.find("mobilenetv2_050"), std::string::npos);
  EXPECT_EQ(controller->get("/api/logs?limit=0").body["field"], "limit");
  EXPECT_EQ(controller->post("/api/deploy", {{"device", "nano-a"}}).body["field"], "model_name");
  EXPECT_EQ(
      controller->post("/api/deploy", {{"device", "nano-a"}, {"model_name", "m"}, {"max_energy", "abc"}}).body["field"],
      "max_energy");
  EXPECT_EQ(controller->post("/api/deploy", {{"device", "ghost"}, {"model_name", "m"}}).status, 404);
}

TEST_F(FleetHttp, BalenaListsDevicesWithAddressesAsArrays) {
  auto r = controller->get("/api/balena/devices?app_slug=myorg/edge-fleet");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["devices"].size(), 2u);
  auto a = r.body["devices"][0];
  EXPECT_EQ(a["device_name"], "jetson-01");
  EXPECT_EQ(a["ip_address"], nlohmann::json::array({"192.168.1.20", "10.240.0.5"}));
  EXPECT_EQ(a["device_type"], "jetson-nano");
  EXPECT_EQ(a["is_online"], true);
  EXPECT_EQ(r.body["devices"][1]["ip_address"], nlohmann::json::array());
  EXPECT_TRUE(r.body["devices"][1]["device_type"].is_null()) << "an unexpanded {__id} is not a slug";
  EXPECT_EQ(balena->select, "id,uuid,device_name,is_online,ip_address,os_version");
  EXPECT_EQ(balena->expand, "is_of__device_type($select=slug)");
  std::lock_guard lock(balena->mu);
  EXPECT_EQ(balena->filters.back(), "belongs_to__application/any(a:a/slug eq 'myorg/edge-fleet')");
}

TEST_F(FleetHttp, BalenaPagesEmptyFleetsAndOnlineFilter) {
  auto r = controller->get("/api/balena/devices?app_slug=myorg/big-fleet&online_only=true");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["count"], 150);
  {
    std::lock_guard lock(balena->mu);
    EXPECT_TRUE(balena->skips.count(100));
    EXPECT_NE(balena->filters.back().find(" and is_online eq true"), std::string::npos);
  }
  auto empty = controller->get("/api/balena/devices?app_slug=myorg/empty");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body["count"], 0);
  EXPECT_EQ(controller->get("/api/balena/devices").body["field"], "app_slug");
}

TEST_F(FleetHttp, BalenaErrorsKeepTheirMeaning) {
  auto limited = controller->get("/api/balena/devices?app_slug=myorg/limited");
  EXPECT_EQ(limited.status, 200) << "429 with Retry-After: 1 is retried: " << limited.raw;
  EXPECT_GE(balena->limited.load(), 2);
  auto broken = controller->get("/api/balena/devices?app_slug=myorg/broken");
  EXPECT_EQ(broken.status, 502);
  EXPECT_NE(broken.body["error"].get<std::string>().find("503"), std::string::npos);
  auto slow = controller->get("/api/balena/devices?app_slug=myorg/slow");
  EXPECT_EQ(slow.status, 504) << slow.raw;
  EXPECT_EQ(controller->log_tail().find(kToken), std::string::npos) << "the token must never be logged";
}

TEST(FleetHttpNoToken, BalenaWithoutTokenIs503AndTheRestWorks) {
  TempDir state("ctl-notoken");
  auto c = start_controller(state.path, {"--max-upload-mb", "1"}, {{"BALENA_API_TOKEN", ""}}, false);
  auto r = c->get("/api/balena/devices?app_slug=x");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body["error"], "BALENA_API_TOKEN is not configured");
  EXPECT_EQ(c->get("/api/devices").status, 200);
  EXPECT_EQ(c->get("/healthz").status, 200);
  // The upload size limit (--max-upload-mb 1): a 2 MB model is refused with 413, a JSON body over 1 MiB too.
  int status = 0;
  multipart_post(*c, "/api/models/upload", std::string(2 << 20, 'x'), "big.onnx", {}, &status);
  EXPECT_EQ(status, 413);
  auto big = c->client().Post("/api/devices", std::string((1 << 20) + 10, ' '), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
}

TEST(FleetHttpNoToken, BadTokenIs401) {
  FakeBalena fake;
  TempDir state("ctl-badtoken");
  auto c = start_controller(state.path, {}, {{"BALENA_API_URL", fake.url()}, {"BALENA_API_TOKEN", "wrong"}}, false);
  auto r = c->get("/api/balena/devices?app_slug=myorg/edge-fleet");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body["error"].get<std::string>().find("Unauthorized"), std::string::npos);
}

TEST(FleetHttpNoToken, SigtermEndsOpenEventStreamsAndExitsCleanly) {
  TempDir state("ctl-sigterm");
  auto c = start_controller(state.path, {}, {}, false);
  auto d = c->post("/api/devices", {{"name", "quiet"}, {"address", "127.0.0.1:1"}, {"device_type", "x"}});
  ASSERT_EQ(d.status, 201);
  std::atomic<bool> ended{false};
  std::thread reader([&] {
    c->client().Get("/api/devices/" + std::to_string(d.body["device"]["id"].get<long long>()) + "/telemetry/stream",
                    [](const char*, size_t) { return true; });
    ended = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(c->terminate(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
  reader.join();
  EXPECT_TRUE(ended);
}
