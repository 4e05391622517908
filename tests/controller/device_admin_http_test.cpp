// Managing a real fleet through the real edgeml-controller: edit (PATCH) and delete (DELETE, keeping or purging the
// history) registered devices, the agent's full telemetry for the live view (/telemetry/latest), the agent's own view
// (/agent: version, stored models), a device's deploy history, staged rollouts in batches (/api/rollouts/<id>), and
// the dashboard served from the binary itself when no --web is given. Agents run on fixture trees on loopback.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "deploy_support.hpp"

using namespace edgeml::deploy_test;
namespace fs = std::filesystem;

namespace {

Reply to_reply(const httplib::Result& r) {
  if (!r) throw std::runtime_error("no answer: " + httplib::to_string(r.error()));
  Reply out;
  out.status = r->status;
  out.raw = r->body;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  for (const auto& [k, v] : r->headers) out.headers[k] = v;
  return out;
}

Reply patch(const Service& s, const std::string& path, const nlohmann::json& body) {
  return to_reply(s.client().Patch(path, body.dump(), "application/json"));
}
Reply del(const Service& s, const std::string& path) { return to_reply(s.client().Delete(path)); }

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path fixture(const std::string& name) { return fs::path(EDGEML_FIXTURES_DIR) / name; }

// One controller (polling every 0.3 s, no --web) and an Orin agent with its power-mode files, shared by the tests.
class DeviceAdmin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    controller_ = start_controller(controller_state("device-admin", true), {"--poll-interval", "0.3"}).release();
    orin_ =
        start_agent("jetson_orin_jp5", orin_dir_->path, {"--rootfs", fixture("jetson_orin_jp5").string()}).release();
  }
  static void TearDownTestSuite() {
    delete orin_;
    delete controller_;
    delete orin_dir_;
  }
  static long long add(const std::string& name, const std::string& address, nlohmann::json extra = {}) {
    nlohmann::json body{{"name", name}, {"address", address}, {"device_type", "jetson_nano"}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto r = controller_->post("/api/devices", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body["device"]["id"];
  }
  static std::string path(long long id, const std::string& rest = "") {
    return "/api/devices/" + std::to_string(id) + rest;
  }
  static inline Service* controller_ = nullptr;
  static inline Service* orin_ = nullptr;
  static inline TempDir* orin_dir_ = new TempDir("admin-orin");
};

}  // namespace

TEST_F(DeviceAdmin, PatchRenamesTagsAndFixesAMistypedAddress) {
  // Registered with a wrong port (the agent is not there): the poller marks it offline.
  long long id = add("typo", "127.0.0.1:1", {{"tags", {"lab", "camera", "lab"}}, {"group", "hall-a"}});
  auto d = controller_->get(path(id)).body["device"];
  EXPECT_EQ(d["tags"], nlohmann::json({"camera", "lab"})) << "sorted, duplicates dropped";
  EXPECT_EQ(d["group"], "hall-a");
  EXPECT_TRUE(eventually([&] { return !controller_->get(path(id)).body["device"]["last_error"].is_null(); }, 10));

  // Corrected in place: same id, and the poller reaches the agent at the new address.
  auto r = patch(*controller_, path(id), {{"address", orin_->address()}, {"name", "orin-hall"}, {"tags", {"gpu"}}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["device"]["id"], id);
  EXPECT_EQ(r.body["device"]["name"], "orin-hall");
  EXPECT_EQ(r.body["device"]["address"], orin_->address());
  EXPECT_EQ(r.body["device"]["group"], "hall-a") << "fields not given stay";
  EXPECT_TRUE(eventually([&] { return controller_->get(path(id)).body["device"]["online"] == true; }, 15))
      << controller_->get(path(id)).raw;
  EXPECT_EQ(controller_->get("/api/devices/orin-hall").body["device"]["id"], id) << "found by its new name";

  // "group": null clears it; a token is stored but never shown.
  r = patch(*controller_, path(id), {{"group", nullptr}, {"token", "abc"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body["device"]["group"].is_null());
  EXPECT_EQ(r.body["device"]["has_token"], true);
  EXPECT_EQ(r.raw.find("abc"), std::string::npos);
  ASSERT_EQ(patch(*controller_, path(id), {{"token", ""}}).status, 200);

  // Bad input names the field; nothing changes.
  long long other = add("other", "127.0.0.1:2");
  struct Case {
    nlohmann::json body;
    int status;
    std::string field;
  };
  for (const auto& c : std::vector<Case>{{{{"name", "other"}}, 409, "name"},
                                         {{{"nmae", "x"}}, 400, "nmae"},
                                         {nlohmann::json::object(), 400, "body"},
                                         {{{"name", "has space"}}, 400, "name"},
                                         {{{"address", "bad host:80"}}, 400, "address"},
                                         {{{"address", "h:99999"}}, 400, "address"},
                                         {{{"tags", "lab"}}, 400, "tags"},
                                         {{{"tags", {"ok", "no/slash"}}}, 400, "tags[1]"},
                                         {{{"tags", nlohmann::json(std::vector<std::string>(17, "t"))}}, 400, "tags"},
                                         {{{"group", 5}}, 400, "group"},
                                         {{{"token", "a\r\nX-Evil: 1"}}, 400, "token"}}) {
    auto bad = patch(*controller_, path(id), c.body);
    EXPECT_EQ(bad.status, c.status) << c.body.dump() << " -> " << bad.raw;
    EXPECT_EQ(bad.body.value("field", ""), c.field) << c.body.dump() << " -> " << bad.raw;
  }
  EXPECT_EQ(controller_->get(path(id)).body["device"]["name"], "orin-hall");
  EXPECT_EQ(patch(*controller_, "/api/devices/999999", {{"name", "x"}}).status, 404);
  ASSERT_EQ(del(*controller_, path(other) + "?purge=true").status, 200);
  ASSERT_EQ(del(*controller_, path(id) + "?purge=true").status, 200);
}

TEST_F(DeviceAdmin, DeleteKeepsTheHistoryUnderAnIdNoNewDeviceGetsOrPurgesIt) {
  long long id = add("doomed", orin_->address());
  ASSERT_TRUE(eventually([&] { return controller_->get(path(id, "/telemetry")).body["count"].get<int>() >= 2; }, 15));
  // A deployment record of this device: a rollback the agent refuses (it has no previous model).
  auto rb = controller_->post(path(id, "/rollback"), nlohmann::json::object());
  EXPECT_EQ(rb.status, 409) << rb.raw;
  ASSERT_EQ(controller_->get(path(id, "/deployments")).body["count"], 1);

  auto gone = del(*controller_, path(id));
  ASSERT_EQ(gone.status, 200) << gone.raw;
  EXPECT_EQ(gone.body["history"], "kept");
  EXPECT_EQ(gone.body["deployments"], 1);
  EXPECT_GE(gone.body["telemetry_samples"].get<int>(), 2);
  EXPECT_EQ(controller_->get(path(id)).status, 404);
  EXPECT_EQ(del(*controller_, path(id)).status, 404) << "already deleted";
  for (const auto& d : controller_->get("/api/devices").body["devices"]) EXPECT_NE(d["id"], id);
  auto logs = controller_->get("/api/logs?limit=1000").body["logs"];
  EXPECT_TRUE(std::any_of(logs.begin(), logs.end(), [&](const auto& l) { return l["device_id"] == id; }))
      << "the log keeps the deleted device's deployments";

  // The name is free again, and the new device starts with no history (its id is not the deleted one's).
  long long again = add("doomed", "127.0.0.1:3");
  EXPECT_NE(again, id);
  EXPECT_EQ(controller_->get(path(again, "/telemetry?since=0")).body["count"], 0);
  EXPECT_EQ(controller_->get(path(again, "/deployments")).body["count"], 0);

  // Purged: its deployments leave the log.
  long long purged = add("purged", orin_->address());
  ASSERT_EQ(controller_->post(path(purged, "/rollback"), nlohmann::json::object()).status, 409);
  auto p = del(*controller_, path(purged) + "?purge=true");
  ASSERT_EQ(p.status, 200) << p.raw;
  EXPECT_EQ(p.body["history"], "deleted");
  EXPECT_EQ(p.body["deployments"], 1);
  logs = controller_->get("/api/logs?limit=1000").body["logs"];
  EXPECT_FALSE(std::any_of(logs.begin(), logs.end(), [&](const auto& l) { return l["device_id"] == purged; }));
  EXPECT_EQ(del(*controller_, path(again) + "?purge=maybe").status, 400);
  ASSERT_EQ(del(*controller_, path(again) + "?purge=1").status, 200);
}

TEST_F(DeviceAdmin, LatestTelemetryCarriesEverySeriesAndSaysWhenItIsStale) {
  long long id = add("orin-live", orin_->address());
  Reply r;
  ASSERT_TRUE(eventually([&] { return (r = controller_->get(path(id, "/telemetry/latest"))).status == 200; }, 15))
      << r.raw;
  const auto& t = r.body["telemetry"];
  EXPECT_EQ(r.body["stale"], false);
  EXPECT_LE(r.body["age_s"].get<double>(), 1.0);
  // The Orin fixture: rails by label, the GPU's devfreq load (127 permille), the nvpmodel mode, the fan.
  std::vector<std::string> rails;
  for (const auto& rail : t["power"]["rails"]) rails.push_back(rail["rail"]);
  EXPECT_EQ(rails, (std::vector<std::string>{"VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"}));
  EXPECT_NEAR(t["gpu"]["load_ratio"].get<double>(), 0.127, 1e-9);
  EXPECT_EQ(t["power_mode"]["name"], "15W") << t["power_mode"].dump();
  EXPECT_EQ(t["fans"]["fans"][0]["rpm"], 1925.0);
  // max_age=0 asks the agent now.
  auto now = controller_->get(path(id, "/telemetry/latest?max_age=0"));
  EXPECT_EQ(now.body["source"], "agent");
  EXPECT_EQ(controller_->get(path(id, "/telemetry/latest?max_age=-1")).status, 400);

  // An agent that stops answering: the last answer, marked stale with the reason.
  TempDir dir("admin-short");
  auto short_lived = start_agent("rpi5", dir.path);
  long long pi = add("pi-short", short_lived->address());
  ASSERT_TRUE(eventually([&] { return controller_->get(path(pi, "/telemetry/latest")).status == 200; }, 15));
  EXPECT_EQ(controller_->get(path(pi, "/telemetry/latest")).body["telemetry"]["throttle"]["flags"][0]["flag"],
            "under_voltage");
  short_lived->terminate();
  auto stale = controller_->get(path(pi, "/telemetry/latest?max_age=0"));
  ASSERT_EQ(stale.status, 200) << stale.raw;
  EXPECT_EQ(stale.body["stale"], true);
  EXPECT_NE(stale.body["error"].get<std::string>().find(short_lived->address()), std::string::npos) << stale.raw;
  // A device never heard from: 502 naming it.
  long long never = add("never", "127.0.0.1:4");
  auto none = controller_->get(path(never, "/telemetry/latest?max_age=0"));
  EXPECT_EQ(none.status, 502) << none.raw;
  EXPECT_NE(none.body["error"].get<std::string>().find("never"), std::string::npos);
  // An MQTT-mode device: the controller never calls its agent, and says so (503) rather than failing a call.
  auto mqtt =
      controller_->post("/api/devices", {{"name", "nano-mqtt"}, {"transport", "mqtt"}, {"device_type", "jetson_nano"}});
  ASSERT_EQ(mqtt.status, 201) << mqtt.raw;
  long long over_mqtt = mqtt.body["device"]["id"].get<long long>();
  for (const char* what : {"/telemetry/latest?max_age=0", "/agent"}) {
    auto r = controller_->get(path(over_mqtt, what));
    EXPECT_EQ(r.status, 503) << what << ": " << r.raw;
    EXPECT_NE(r.body["error"].get<std::string>().find("mqtt transport"), std::string::npos) << r.raw;
  }
  for (long long x : {id, pi, never, over_mqtt}) ASSERT_EQ(del(*controller_, path(x) + "?purge=true").status, 200);
}

TEST_F(DeviceAdmin, AgentViewAndDeployHistoryAndBatchedRollout) {
  TempDir second_dir("admin-nano");
  auto nano = start_agent("jetson_nano_l4t32", second_dir.path);
  long long a = add("roll-a", orin_->address()), b = add("roll-b", nano->address());
  auto view = controller_->get(path(a, "/agent"));
  ASSERT_EQ(view.status, 200) << view.raw;
  EXPECT_FALSE(view.body["status"]["agent"]["version"].get<std::string>().empty());
  EXPECT_TRUE(view.body["models"]["models"].is_array());

  // Both devices at once (batch_size 2): their transfers overlap.
  auto r = controller_->post("/api/deploy", {{"devices", {a, b}},
                                             {"model_name", "mobilenetv3_small_075"},
                                             {"max_energy", 50},
                                             {"batch_size", 2},
                                             {"async", true}});
  ASSERT_EQ(r.status, 202) << r.raw;
  std::string rollout = "/api/rollouts/" + std::to_string(r.body["rollout_id"].get<long long>());
  Reply progress;
  ASSERT_TRUE(eventually([&] { return (progress = controller_->get(rollout)).body["finished"] == true; }, 120))
      << progress.raw;
  EXPECT_EQ(progress.body["counts"], nlohmann::json({{"succeeded", 2}})) << progress.raw;
  ASSERT_EQ(progress.body["deployments"].size(), 2u);
  auto step = [&](int i, const std::string& name) {
    for (const auto& s : progress.body["deployments"][i]["steps"])
      if (s["name"] == name) return s;
    return nlohmann::json();
  };
  double b_starts = step(1, "transfer")["started_at"];
  double a_ends =
      step(0, "health_check")["started_at"].get<double>() + step(0, "health_check")["duration_s"].get<double>();
  EXPECT_LT(b_starts, a_ends) << "the second device did not wait for the first";

  // The device page's figures: the agent now holds the model; its history lists the deployment.
  view = controller_->get(path(a, "/agent"));
  EXPECT_EQ(view.body["status"]["active_model"]["name"], "mobilenetv3_small_075");
  auto history = controller_->get(path(a, "/deployments?limit=5")).body;
  ASSERT_EQ(history["count"], 1);
  EXPECT_EQ(history["deployments"][0]["status"], "succeeded");
  EXPECT_EQ(controller_->get("/api/rollouts/999999").status, 404);

  nano->terminate();
  auto unreachable = controller_->get(path(b, "/agent"));
  EXPECT_EQ(unreachable.status, 502) << unreachable.raw;
  EXPECT_NE(unreachable.body["error"].get<std::string>().find("roll-b"), std::string::npos);
  for (long long x : {a, b}) ASSERT_EQ(del(*controller_, path(x) + "?purge=true").status, 200);
}

TEST_F(DeviceAdmin, TheDashboardIsServedFromTheBinaryWithoutWeb) {
  auto page = controller_->get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.raw, read_file(fs::path(EDGEML_SOURCE_DIR) / "web/index.html"));
  EXPECT_EQ(page.headers["Content-Type"], "text/html; charset=utf-8");
  auto main_js = controller_->get("/src/main.js");
  EXPECT_EQ(main_js.raw, read_file(fs::path(EDGEML_SOURCE_DIR) / "web/src/main.js"));
  EXPECT_EQ(controller_->get("/manifest.webmanifest").headers["Content-Type"], "application/manifest+json");
  EXPECT_EQ(controller_->get("/sw.js").status, 200);
  auto uplot = controller_->get("/vendor/uPlot.iife.min.js");
  EXPECT_EQ(uplot.raw, read_file(fs::path(EDGEML_SOURCE_DIR) / "web/node_modules/uplot/dist/uPlot.iife.min.js"));
  // Revalidation: the ETag answers 304 without a body.
  auto again = controller_->client().Get("/", {{"If-None-Match", page.headers["ETag"]}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  // An unknown API route is still a JSON 404, never the page.
  auto api = controller_->get("/api/nothing-here");
  EXPECT_EQ(api.status, 404);
  EXPECT_TRUE(api.body.is_object()) << api.raw;
  EXPECT_EQ(controller_->get("/no-such-file.js").status, 404);
}
