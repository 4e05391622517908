// The battery policy in the real edgeml-agent (issue 14): --policy FILE, a copy of a laptop's power_supply tree whose
// charge this test lowers and raises while the agent runs, two stored ONNX variants. The active variant follows the
// charge through the agent's own activation path with no flapping; each switch is in /status ("battery_policy", with
// its reason) and in the agent's history; PUT /policy replaces the policy (400 naming the field when it is wrong); a
// bad --policy file stops the agent before it listens.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "agent_test_support.hpp"
#include "child_process.hpp"

namespace fs = std::filesystem;
using namespace edgeml::agent_test;
using nlohmann::json;

namespace {

const char* kPolicy = R"({"rules": [{"battery_above": 60, "model": "large"}, {"battery_above": 20, "model": "small"},
                                    {"battery_above": 0, "pause": true}], "hysteresis_pct": 5})";

bool eventually(const std::function<bool()>& pred, double timeout_s = 30) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

struct Laptop {
  TempDir dir;
  fs::path tree = dir.path / "tree";
  Laptop() {
    fs::copy(fs::path(EDGEML_FIXTURES_DIR) / "laptop_battery", tree,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  }
  void charge(int percent) {
    fs::path f = tree / "sys/class/power_supply/BAT0/capacity";
    std::ofstream(f.string() + ".tmp") << percent << "\n";
    fs::rename(f.string() + ".tmp", f);
  }
  std::vector<std::string> args(const fs::path& policy) const {
    return {"--sysfs-root",   (tree / "sys").string(),
            "--procfs-root",  (tree / "proc").string(),
            "--telemetry-hz", "20",
            "--infer-hz",     "20",
            "--policy",       policy.string()};
  }
};

// What the agent runs now: the active model's name, or "paused" while the policy holds inference.
std::string running(const json& status) {
  if (status["battery_policy"].value("paused", false)) return "paused";
  return status["active_model"].is_object() ? status["active_model"].value("name", "") : "";
}

}  // namespace

TEST(AgentBatteryPolicy, TheActiveVariantFollowsTheChargeOfARealPowerSupplyTreeWithoutFlapping) {
  Laptop laptop;
  laptop.charge(87);
  fs::path policy = laptop.dir.path / "policy.json";
  std::ofstream(policy) << kPolicy;
  TempDir state;
  AgentProcess agent(state.path, laptop.args(policy));
  EXPECT_EQ(agent.status()["battery_policy"]["configured"], true);
  ASSERT_EQ(agent.put_model("large", matmul_onnx(4, 256))->status, 201);
  ASSERT_EQ(agent.put_model("small", tiny_onnx(1.0f))->status, 201);
  ASSERT_TRUE(eventually([&] { return running(agent.status()) == "large"; })) << agent.status().dump();

  // Each step: set the charge, wait until the agent has read it, then see what runs. Oscillating around 60/65 and
  // 20/25 must not flap.
  std::vector<std::string> seen{"large"};
  for (int p : {70, 61, 60, 61, 59, 63, 65, 64, 40, 21, 20, 21, 19, 24, 25, 24, 26, 50, 64, 66, 62}) {
    laptop.charge(p);
    json s;
    ASSERT_TRUE(eventually([&] {
      s = agent.status();
      return s["battery_policy"]["battery_percent"] == p;
    })) << s.dump();
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // a few more samples at this charge
    std::string now = running(agent.status());
    if (seen.back() != now) seen.push_back(now);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"large", "small", "paused", "small", "large"}));

  json status = agent.status()["battery_policy"];
  // Before any variant was stored the policy could only pause; from the first activation on, each switch once.
  std::vector<std::string> events;
  json pause;
  for (const auto& e : status["events"]) {
    if (events.empty() && e["event"] != "activate") continue;
    events.push_back(e["event"]);
    if (e["event"] == "pause") pause = e;
  }
  EXPECT_EQ(events, (std::vector<std::string>{"activate", "activate", "pause", "resume", "activate"})) << status.dump();
  EXPECT_NE(pause.value("reason", "").find("at or below 20%"), std::string::npos) << pause.dump();
  // The agent's own history: each switch went through the activation path as the policy's.
  auto models = json::parse(agent.client().Get("/models")->body);
  int switches = 0;
  for (const auto& e : models["history"]) switches += e["event"] == "policy_switch";
  EXPECT_EQ(switches, 3) << models["history"].dump();

  // A pushed policy: wrong -> 400 naming the field, the old one stays; right -> in force from the next sample.
  auto c = agent.client();
  auto bad = c.Put("/policy", R"({"rules": [{"battery_above": 170, "model": "large"}]})", "application/json");
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(json::parse(bad->body)["field"], "rules[0].battery_above") << bad->body;
  auto good = c.Put("/policy", R"({"rules": [{"battery_above": 70, "model": "large"}, {"model": "small"}]})",
                    "application/json");
  ASSERT_EQ(good->status, 200) << good->body;
  ASSERT_TRUE(eventually([&] { return running(agent.status()) == "small"; })) << "62% is below the new 70%";
  EXPECT_EQ(agent.status()["battery_policy"]["source"], "pushed");
}

TEST(AgentBatteryPolicy, ABadPolicyFileStopsTheAgentNamingTheField) {
  TempDir dir;
  fs::path policy = dir.path / "policy.json";
  std::ofstream(policy) << R"({"rules": [{"battery_above": 60, "model": "large"}], "hysteresis_pct": -3})";
  edgeml::testing::ChildProcess agent({edgeml::testing::bin("edgeml-agent"), "--host", "127.0.0.1", "--port", "0",
                                       "--state", (dir.path / "state").string(), "--policy", policy.string()});
  ASSERT_TRUE(eventually([&] { return !agent.running(); }, 30));
  EXPECT_NE(agent.terminate(), 0);
  EXPECT_NE(agent.stderr_tail().find("hysteresis_pct"), std::string::npos) << agent.stderr_tail();
}
