// A model people have, end to end: the seed's real TFLite file (a Keras MobileNetV3 Small with trained weights)
// uploaded to a real edgeml-controller, inspected, deployed to two real edgeml-agents (ONNX Runtime and OpenCV DNN),
// and run on the two photos: the cat is a cat and the coffee is coffee on both backends. Bad uploads answer 4xx naming
// the problem; every model row says whether it can be deployed and with what weights, and placeholder weights are
// said out loud at deploy time, in the answer and on the agent.
#include <gtest/gtest.h>

#include <set>

#include "common/files.hpp"
#include "common/sha256.hpp"
#include "deploy_support.hpp"
#include "tflite_builder.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kData = EDGEML_SHARED_DATA;

Reply upload(const Service& s, const std::string& path, const std::string& bytes, const std::string& filename,
             httplib::MultipartFormDataItems extra = {}) {
  httplib::MultipartFormDataItems items{{"file", bytes, filename, "application/octet-stream"}};
  items.insert(items.end(), extra.begin(), extra.end());
  auto r = s.client().Post(path, items);
  if (!r) throw std::runtime_error("no answer from " + path);
  return {r->status, json::parse(r->body, nullptr, false), r->body, {}};
}

// Top-1 class of a photo on the agent's active model (the agent's preprocessing: the model's own convention).
int top1(const Service& agent, const std::string& photo) {
  const std::string png = read_file(kData / photo);
  auto r = agent.client().Post("/infer?k=3", png, "image/png");
  if (!r || r->status != 200) throw std::runtime_error("POST /infer failed: " + (r ? r->body : std::string("none")));
  return json::parse(r->body)["top_k"][0]["index"].get<int>();
}

}  // namespace

class TfliteE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    // No benchmark data: the device type is new, so its energy is unknown and the default gate (warn) lets it through.
    controller = start_controller(controller_state("e2e-tflite", true), {}, {}, false);
    ort = start_agent("bare_vm", ort_dir.path, {"--backend", "ort"});
    opencv = start_agent("bare_vm", opencv_dir.path, {"--backend", "opencv"});
    for (auto [name, agent] : {std::pair{"ort-box", ort.get()}, std::pair{"opencv-box", opencv.get()}}) {
      auto r = controller->post("/api/devices",
                                {{"name", name}, {"address", agent->address()}, {"device_type", "edge_box"}});
      ASSERT_EQ(r.status, 201) << r.raw;
    }
  }
  TempDir ort_dir{"tfl-ort"}, opencv_dir{"tfl-cv"};
  std::unique_ptr<Service> controller, ort, opencv;
};

TEST_F(TfliteE2E, SeedModelUploadedInspectedDeployedAndRightOnBothBackends) {
  const std::string tflite = read_file(kData / "mobilenetv3_small_075.tflite");

  // Bad uploads first: nothing of them is stored.
  auto truncated = upload(*controller, "/api/models/upload", tflite.substr(0, tflite.size() * 2 / 5), "cut.tflite",
                          {{"model_name", "cut", "", ""}});
  EXPECT_GE(truncated.status, 400) << truncated.raw;
  EXPECT_LT(truncated.status, 500) << truncated.raw;
  EXPECT_EQ(truncated.body["field"], "file") << truncated.raw;
  EXPECT_NE(truncated.body["error"].get<std::string>().find("cut.tflite"), std::string::npos) << truncated.raw;
  auto garbage = upload(*controller, "/api/models/upload", std::string(4096, '\x5a'), "noise.tflite",
                        {{"model_name", "noise", "", ""}});
  EXPECT_EQ(garbage.status, 400) << garbage.raw;
  EXPECT_NE(garbage.body["error"].get<std::string>().find("not a model format we know"), std::string::npos)
      << garbage.raw;
  // A well-formed TFLite file whose operator this build cannot translate: 422 naming it, for upload and analyze.
  std::string floor_model;
  {
    tflite::testing::TfliteFileBuilder f;
    const int x = f.tensor("x", {1, 4});
    const int y = f.tensor("y", {1, 4});
    f.op(8 /* FLOOR: not translated */, {x}, {y});
    floor_model = f.finish({x}, {y});
  }
  for (const char* route : {"/api/models/upload", "/api/models/analyze"}) {
    auto refused = upload(*controller, route, floor_model, "floor.tflite",
                          {{"model_name", "floor", "", ""}, {"device_type", "edge_box", "", ""}});
    EXPECT_EQ(refused.status, 422) << route << " " << refused.raw;
    EXPECT_EQ(refused.body["field"], "file");
    EXPECT_NE(refused.body["error"].get<std::string>().find("unsupported operators FLOOR"), std::string::npos)
        << refused.raw;
    EXPECT_EQ(refused.body["unsupported_ops"]["FLOOR"], 1) << refused.raw;
  }
  auto listed = controller->get("/api/artifacts").body["artifacts"];
  EXPECT_EQ(listed.size(), 0u) << listed.dump();

  // Upload -> inspect: the file's own figures, deployable, weights from the file.
  auto up = upload(*controller, "/api/models/upload", tflite, "mobilenetv3_small_075.tflite",
                   {{"model_name", "mnv3_seed", "", ""}});
  ASSERT_EQ(up.status, 201) << up.raw;
  EXPECT_EQ(up.body["format"], "tflite");
  EXPECT_EQ(up.body["sha256"], sha256_hex(tflite));
  EXPECT_EQ(up.body["inspection"]["params"], 2037032);
  EXPECT_NEAR(up.body["inspection"]["gmacs"].get<double>(), 0.043399344, 1e-9);
  EXPECT_TRUE(up.body["inspection"]["runnable"].get<bool>());
  EXPECT_TRUE(up.body["deployable"].get<bool>());
  EXPECT_EQ(up.body["weights"], "file");

  // Deploy to both agents: real weights, so no placeholder warning; the agents say what they run.
  auto dep = controller->post(
      "/api/deploy", {{"devices", {"ort-box", "opencv-box"}}, {"model_name", "mnv3_seed"}, {"max_energy", 100}});
  ASSERT_EQ(dep.status, 200) << dep.raw << controller->log_tail();
  for (const auto& d : dep.body["deployments"]) {
    EXPECT_EQ(d["deployment_status"], "succeeded") << d.dump(2);
    EXPECT_EQ(d["weights"], "file");
    EXPECT_EQ(d["energy_gate"]["outcome"], "skipped") << "edge_box has no energy figure: warn lets it through";
    EXPECT_EQ(d["artifact"]["file"], "mnv3_seed.tflite");
    for (const auto& w : d["warnings"]) EXPECT_EQ(w.get<std::string>().find("placeholder"), std::string::npos) << w;
  }
  std::set<std::string> backends;
  for (const Service* agent : {ort.get(), opencv.get()}) {
    auto active = agent->get("/status").body["active_model"];
    ASSERT_TRUE(active.is_object());
    EXPECT_EQ(active["sha256"], sha256_hex(tflite));
    EXPECT_EQ(active["weights"], "file");
    backends.insert(active["backend"].get<std::string>());
    const int cat = top1(*agent, "chelsea.png");
    EXPECT_GE(cat, 281) << "a cat class (281-285) on " << active["backend"];
    EXPECT_LE(cat, 285) << "a cat class (281-285) on " << active["backend"];
    const int coffee = top1(*agent, "coffee.png");
    EXPECT_TRUE(coffee == 967 || coffee == 968 || coffee == 504) << coffee << " on " << active["backend"];
  }
  EXPECT_EQ(backends, (std::set<std::string>{"ort", "opencv"}));

  // The deploy forwards `preprocess`; the agent applies it and says where it came from.
  auto pre = controller->post("/api/deploy",
                              {{"device", "ort-box"}, {"model_name", "mnv3_seed"}, {"preprocess", "raw_0_255"}});
  ASSERT_EQ(pre.status, 200) << pre.raw;
  auto spec = ort->get("/status").body["active_model"]["input_spec"];
  EXPECT_EQ(spec["convention"], "raw_0_255") << spec.dump();
  EXPECT_EQ(spec["source"], "deploy request (preprocess)") << spec.dump();
  EXPECT_GE(top1(*ort, "chelsea.png"), 281);
  auto bad_pre =
      controller->post("/api/deploy", {{"device", "ort-box"}, {"model_name", "mnv3_seed"}, {"preprocess", "../etc"}});
  EXPECT_EQ(bad_pre.status, 400) << bad_pre.raw;
  EXPECT_EQ(bad_pre.body["field"], "preprocess");

  // A zoo model runs placeholder weights: the deploy step, the answer and the agent's /status say so.
  auto zoo = controller->post("/api/deploy", {{"device", "opencv-box"}, {"model_name", "mobilenetv2_050"}});
  ASSERT_EQ(zoo.status, 200) << zoo.raw;
  EXPECT_EQ(zoo.body["weights"], "placeholder");
  bool warned = false;
  for (const auto& w : zoo.body["warnings"]) warned |= w.get<std::string>().find("placeholder") != std::string::npos;
  EXPECT_TRUE(warned) << zoo.body["warnings"].dump();
  bool step_says = false;
  for (const auto& s : zoo.body["steps"])
    step_says |= s["name"] == "activation" && s["detail"].get<std::string>().find("placeholder") != std::string::npos;
  EXPECT_TRUE(step_says) << zoo.body["steps"].dump(2);
  EXPECT_EQ(opencv->get("/status").body["active_model"]["weights"], "placeholder");
}

// Every row of the library and the recommendations says whether its model can be deployed and with what weights;
// ?deployable=true keeps only those that can.
TEST_F(TfliteE2E, ModelRowsSayDeployableAndWeights) {
  const std::string tflite = read_file(kData / "mobilenetv3_small_075.tflite");
  ASSERT_EQ(upload(*controller, "/api/models/upload", tflite, "m.tflite", {{"model_name", "mnv3_seed", "", ""}}).status,
            201);
  auto row = [](const std::string& model, double energy_mwh) {
    return json{{"model", model},        {"params_m", 2.0},
                {"gflops", 0.1},         {"gmacs", 0.05},
                {"size_mb", 8.0},        {"iterations_per_measurement", 100},
                {"latency_avg_s", 0.01}, {"energy_avg_mwh", energy_mwh}};
  };
  auto added =
      controller->post("/api/catalog/rows",
                       {{"device_type", "edge_box"},
                        {"rows", {row("mnv3_seed", 1.0), row("mobilenetv2_050", 1.2), row("someone_elses_net", 0.8)}}});
  ASSERT_EQ(added.status, 201) << added.raw;

  // Analyze prices the file for a device type; edge_box's three rows train no predictor, and the answer says why.
  auto analyzed = upload(*controller, "/api/models/analyze", tflite, "m.tflite", {{"device_type", "edge_box", "", ""}});
  ASSERT_EQ(analyzed.status, 200) << analyzed.raw;
  EXPECT_EQ(analyzed.body["params"], 2037032);
  EXPECT_TRUE(analyzed.body["predicted_energy_mwh"].is_null());
  EXPECT_EQ(analyzed.body["predicted_energy"]["source"], "unavailable");
  EXPECT_FALSE(analyzed.body["predicted_energy"]["reason"].get<std::string>().empty());

  auto all = controller->get("/api/models/all?device_type=edge_box").body;
  ASSERT_EQ(all["count"], 3) << all.dump(2);
  std::map<std::string, json> by;
  for (const auto& m : all["models"]) by[m["model"]] = m;
  EXPECT_TRUE(by["mnv3_seed"]["deployable"].get<bool>());
  EXPECT_EQ(by["mnv3_seed"]["weights"], "file");
  EXPECT_EQ(by["mnv3_seed"]["artifact"]["origin"], "store");
  EXPECT_EQ(by["mobilenetv2_050"]["weights"], "placeholder");
  EXPECT_EQ(by["mobilenetv2_050"]["artifact"]["origin"], "zoo");
  EXPECT_FALSE(by["someone_elses_net"]["deployable"].get<bool>());
  EXPECT_TRUE(by["someone_elses_net"]["artifact"].is_null());
  EXPECT_TRUE(by["someone_elses_net"]["deployable_note"].is_string());
  for (const auto& m : all["models"]) {
    EXPECT_EQ(m["source"], "api");
    EXPECT_EQ(m["name"], m["model"]) << "the original system's field name";
    EXPECT_EQ(m["latency_s"], m["latency_avg_s"]);
  }

  auto deployable = controller->get("/api/models/all?device_type=edge_box&deployable=true").body;
  EXPECT_EQ(deployable["count"], 2);
  EXPECT_EQ(deployable["total"], 2);
  auto rec = controller->get("/api/models/recommended?device_type=edge_box&deployable=true").body;
  EXPECT_EQ(rec["count"], 2) << rec.dump(2);
  EXPECT_EQ(rec["excluded_not_deployable"], 1);
  EXPECT_EQ(rec["models"][0]["model"], "mnv3_seed") << "lowest energy among the deployable";
  auto rec_all = controller->get("/api/models/recommended?device_type=edge_box").body;
  EXPECT_EQ(rec_all["models"][0]["model"], "someone_elses_net") << "shown, marked not deployable";
  EXPECT_FALSE(rec_all["models"][0]["deployable"].get<bool>());

  // Deploying the one without an artifact answers 404 before any gate, and records nothing.
  const auto logs_before = controller->get("/api/logs").body["count"];
  auto none = controller->post("/api/deploy",
                               {{"device", "ort-box"}, {"model_name", "someone_elses_net"}, {"max_energy", 0.1}});
  EXPECT_EQ(none.status, 404) << none.raw;
  EXPECT_EQ(none.body["field"], "model_name");
  EXPECT_EQ(controller->get("/api/logs").body["count"], logs_before);
}
