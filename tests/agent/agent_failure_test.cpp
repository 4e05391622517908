// Every way a new model can fail to arrive or to start must leave the previous model active and its file intact,
// also after a restart: a download cut mid-way, an upload whose client disconnects, a wrong sha256, a full disk,
// a model that does not load, and the agent killed with SIGKILL in the middle of an activation.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <thread>

#include "agent_test_support.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

using namespace edgeml::agent_test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

size_t leftover_temp_files(const fs::path& state) {
  size_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(state))
    if (e.path().filename().string().rfind(".incoming-", 0) == 0) ++n;
  return n;
}

// A fixture with model "m" version A active; each test then tries to bring in version B and fails.
class AgentFailure : public ::testing::Test {
 protected:
  void SetUp() override { state = dir.path / "state"; }

  void start(std::vector<std::string> args = {}, std::map<std::string, std::string> env = {}) {
    agent = std::make_unique<AgentProcess>(state, args, env);
  }
  void install_a() {
    auto r = agent->put_model("m", a, "", "?activate=1");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    ASSERT_EQ(active_sha(agent->status()), sha_a);
  }
  // A is active, its file is intact, and no temporary file is left; then the same after a restart.
  void expect_a_survives(std::vector<std::string> args = {}) {
    auto st = agent->status();
    EXPECT_EQ(active_sha(st), sha_a) << st.dump(2);
    EXPECT_EQ(st["runtime"]["state"], "running");
    auto file = state / "models/m" / (sha_a + ".onnx");
    ASSERT_TRUE(fs::exists(file));
    EXPECT_EQ(edgeml::sha256_file(file), sha_a);
    agent->kill_hard();
    agent = std::make_unique<AgentProcess>(state, args);
    auto again = agent->status();
    EXPECT_EQ(active_sha(again), sha_a) << again.dump(2);
    EXPECT_EQ(again["runtime"]["state"], "running");
    EXPECT_EQ(leftover_temp_files(state), 0u);
  }

  TempDir dir;
  fs::path state;
  std::unique_ptr<AgentProcess> agent;
  std::string a = tiny_onnx(1.0f), b = tiny_onnx(5.0f);
  std::string sha_a = edgeml::sha256_hex(a), sha_b = edgeml::sha256_hex(b);
};

// A model server on 127.0.0.1 that sends only the first half of the file, then closes the connection.
struct HalfServer {
  explicit HalfServer(std::string body, bool cut) : body_(std::move(body)) {
    server.Get("/models/b.onnx", [this, cut](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(body_.size(), "application/octet-stream",
                               [this, cut](size_t offset, size_t, httplib::DataSink& sink) {
                                 size_t half = body_.size() / 2;
                                 if (cut && offset >= half) return false;  // abort: the connection is closed
                                 size_t end = cut ? half : body_.size();
                                 sink.write(body_.data() + offset, end - offset);
                                 return true;
                               });
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~HalfServer() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/models/b.onnx"; }
  std::string body_;
  httplib::Server server;
  int port = 0;
  std::thread thread;
};

json deploy_body(const std::string& url, const std::string& sha, size_t size) {
  return {{"model_name", "m"}, {"model_url", url}, {"sha256", sha}, {"size", size}};
}

}  // namespace

TEST_F(AgentFailure, DeployPullsAndActivates) {  // the success path the failures are measured against
  start();
  install_a();
  HalfServer upstream(b, /*cut=*/false);
  auto r = agent->client().Post("/deploy", deploy_body(upstream.url(), sha_b, b.size()).dump(), "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  json st;
  for (int i = 0; i < 200; ++i) {
    st = agent->status();
    if (st["deploy"]["state"] == "done" || st["deploy"]["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(st["deploy"]["state"], "done") << st.dump(2);
  EXPECT_EQ(st["deploy"]["received_bytes"], b.size());
  EXPECT_EQ(active_sha(st), sha_b);
  EXPECT_EQ(st["previous_model"]["sha256"], sha_a);
}

TEST_F(AgentFailure, DownloadCutMidway) {
  start();
  install_a();
  HalfServer upstream(b, /*cut=*/true);
  auto r =
      agent->client().Post("/deploy?wait=1", deploy_body(upstream.url(), sha_b, b.size()).dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  auto j = json::parse(r->body);
  EXPECT_EQ(j["deploy"]["state"], "failed");
  EXPECT_NE(j["error"].get<std::string>().find("download"), std::string::npos) << r->body;
  EXPECT_FALSE(fs::exists(state / "models/m" / (sha_b + ".onnx")));
  expect_a_survives();
}

TEST_F(AgentFailure, UploadClientDisconnects) {
  start();
  install_a();
  RawUpload upload(agent->port(), "m", sha_b, b.size());
  upload.send_body(b.substr(0, b.size() / 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  upload.close();  // the client goes away half-way
  for (int i = 0; i < 100 && leftover_temp_files(state) > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(leftover_temp_files(state), 0u);
  EXPECT_FALSE(fs::exists(state / "models/m" / (sha_b + ".onnx")));
  expect_a_survives();
}

TEST_F(AgentFailure, WrongSha256) {
  start();
  install_a();
  auto r = agent->put_model("m", b, std::string(64, 'c'), "?activate=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(json::parse(r->body)["field"], "sha256");
  // Same through a download.
  HalfServer upstream(b, false);
  auto d = agent->client().Post("/deploy?wait=1", deploy_body(upstream.url(), std::string(64, 'd'), b.size()).dump(),
                                "application/json");
  EXPECT_EQ(d->status, 422) << d->body;
  EXPECT_NE(json::parse(d->body)["error"].get<std::string>().find("sha256"), std::string::npos);
  EXPECT_EQ(agent->client().Get("/models").value().body.find(sha_b), std::string::npos);
  expect_a_survives();
}

TEST_F(AgentFailure, FullDisk) {
  fs::create_directories(state);
  if (::mount("tmpfs", state.c_str(), "tmpfs", 0, "size=2m") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs as the state dir (needs root / CAP_SYS_ADMIN): " << std::strerror(errno);
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{state};
  std::vector<std::string> args{"--reserve-mb", "0.25"};
  start(args);
  install_a();
  // 1. Refused before accepting: the declared size would not fit with the reserve. The agent answers as soon as it
  //    has the headers, without reading a byte of the body.
  auto refused = RawUpload(agent->port(), "m", sha_b, 1900 * 1024).response();
  EXPECT_NE(refused.find(" 507 "), std::string::npos) << refused;
  EXPECT_NE(refused.find("\"field\":\"size\""), std::string::npos) << refused;
  auto d =
      agent->client().Post("/deploy", deploy_body("http://127.0.0.1:9/x", sha_b, 50 << 20).dump(), "application/json");
  EXPECT_EQ(d->status, 507) << d->body;
  // 2. The disk fills up while the body arrives (something else wrote to it after the check): 507, nothing kept.
  auto fits = random_bytes(1024 * 1024, 2);
  RawUpload upload(agent->port(), "m", edgeml::sha256_hex(fits), fits.size());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the agent has checked the space by now
  {
    std::ofstream filler(state / "filler", std::ios::binary);
    std::string chunk(64 * 1024, 'f');
    while (filler.write(chunk.data(), chunk.size())) {
    }
  }
  upload.send_body(fits);
  auto answer = upload.response();
  EXPECT_NE(answer.find(" 507 "), std::string::npos) << answer;
  fs::remove(state / "filler");
  EXPECT_EQ(leftover_temp_files(state), 0u);
  expect_a_survives(args);
}

TEST_F(AgentFailure, ModelThatFailsToLoad) {
  start();
  install_a();
  auto garbage = random_bytes(4096, 3);
  auto put = agent->put_model("m", garbage);
  ASSERT_EQ(put->status, 201) << put->body;  // stored: the bytes are what the sender meant to send
  auto r = agent->activate("m", edgeml::sha256_hex(garbage));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  auto err = json::parse(r->body)["error"].get<std::string>();
  EXPECT_NE(err.find("failed to load"), std::string::npos) << err;
  EXPECT_NE(err.find("stays active"), std::string::npos) << err;
  auto st = agent->status();
  EXPECT_EQ(st["last_activation_failure"]["sha256"], edgeml::sha256_hex(garbage));
  expect_a_survives();
}

TEST_F(AgentFailure, KilledDuringActivation) {
  // TEST HOOK: the agent sleeps 3 s inside every activation, after the health check and before the state write.
  std::map<std::string, std::string> hook{{"EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS", "3000"}};
  agent = std::make_unique<AgentProcess>(state, std::vector<std::string>{}, hook);
  install_a();
  ASSERT_EQ(agent->put_model("m", b)->status, 201);
  std::thread activation([&] { agent->activate("m", sha_b); });  // blocks inside the hook
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    seen = agent->status()["runtime"].value("activating", false);
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(seen) << "the activation never started";
  agent->kill_hard();
  activation.join();
  agent = std::make_unique<AgentProcess>(state);
  auto st = agent->status();
  EXPECT_EQ(active_sha(st), sha_a) << st.dump(2);
  // B was stored before the activation began, so it is still there, complete, ready for another try.
  EXPECT_EQ(edgeml::sha256_file(state / "models/m" / (sha_b + ".onnx")), sha_b);
  expect_a_survives();
}
