// Energy truth, end to end, with real processes: a real edgeml-controller (the seed's benchmark files) and a real
// edgeml-agent on a copy of the Jetson Nano fixture tree whose power rail this test changes while it runs.
//   - A deploy ends with the agent's benchmark window; its row joins the catalog as a fleet row of the device's type,
//     with provenance, and shows the power the fixture draws at that moment.
//   - Rows posted to /api/catalog/rows (JSON and CSV) are validated and flagged like file rows; clean ones make the
//     predictors recalibrate in the background (/api/predictors changes); a new device type with a few rows borrows
//     another's power model and says so; all of it survives a restart and exports as CSV.
//   - /api/energy/compare and /metrics use the agent's definitions (gross per inference, idle power, duty cycle,
//     energy per hour).
// And the gate: --unknown-energy allow | warn | refuse, forced, and 404 for an unknown model before any gate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/files.hpp"
#include "deploy_support.hpp"

using namespace edgeml;
using namespace edgeml::deploy_test;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* kTotalRail = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_power0_input";  // POM_5V_IN, mW

// A Jetson Nano fixture tree of this test's own, so its power can change.
struct NanoTree {
  TempDir dir{"energy-nano"};
  NanoTree() {
    fs::copy(fs::path(EDGEML_FIXTURES_DIR) / "jetson_nano_l4t32", dir.path / "tree", fs::copy_options::recursive);
  }
  void set_power_mw(int mw) { write_file_atomic(dir.path / "tree" / kTotalRail, std::to_string(mw) + "\n"); }
  std::unique_ptr<Service> agent(const fs::path& state) {
    return std::make_unique<Service>(
        std::vector<std::string>{edgeml::testing::bin("edgeml-agent"), "--host", "127.0.0.1", "--port", "0", "--state",
                                 state.string(), "--sysfs-root", (dir.path / "tree/sys").string(), "--procfs-root",
                                 (dir.path / "tree/proc").string(), "--infer-hz", "20", "--telemetry-hz", "10"});
  }
};

const json* step(const json& deployment, const std::string& name) {
  for (const auto& s : deployment["steps"])
    if (s["name"] == name) return &s;
  return nullptr;
}

// The fleet row of a model on a device type (the newest), or null.
json fleet_row(const Service& c, const std::string& device_type, const std::string& model) {
  json found;
  const json all = c.get("/api/models/all?device_type=" + device_type + "&q=" + model).body;
  for (const auto& m : all["models"])
    if (m["model"] == model && m["source"] == "fleet") found = m;
  return found;
}

// Clean rows of the seed file, as a lab would post them: `scale` x the file's energy (the device now draws more).
json rows_from_catalog(const Service& c, const std::string& device_type, size_t n, double scale) {
  json rows = json::array();
  const json all = c.get("/api/models/all?device_type=" + device_type).body;
  for (const auto& m : all["models"]) {
    if (rows.size() == n) break;
    if (m["source"] != "file" || !m["flags"].empty()) continue;
    json r{{"model", m["model"]},     {"params_m", m["params_m"]},
           {"gflops", m["gflops"]},   {"gmacs", m["gmacs"]},
           {"size_mb", m["size_mb"]}, {"energy_avg_mwh", m["energy_mwh"].get<double>() * scale}};
    if (m["duration_avg_s"].is_number()) {
      r["duration_avg_s"] = m["duration_avg_s"];
    } else {
      r["latency_avg_s"] = m["latency_avg_s"];
      r["iterations_per_measurement"] = m["iterations_per_measurement"];
    }
    rows.push_back(r);
  }
  return rows;
}

// Waits until the predictors were rebuilt after `builds_before` builds and no rebuild is pending.
json predictors_after(const Service& c, long long builds_before) {
  json p;
  eventually(
      [&] {
        p = c.get("/api/predictors").body;
        return p["build"]["builds"].get<long long>() > builds_before && !p["build"]["rebuilding"].get<bool>() &&
               !p["build"]["pending"].get<bool>();
      },
      60);
  return p;
}

}  // namespace

TEST(CatalogEnergyE2E, TheFleetFeedsTheCatalogAndThePredictorsFollow) {
  NanoTree nano;
  nano.set_power_mw(5000);  // a Nano under load
  TempDir agent_state("energy-agent");
  auto agent = nano.agent(agent_state.path);
  auto state = controller_state("e2e-energy", true);
  auto controller = start_controller(state, {"--window-seconds", "1", "--poll-interval", "0.3"});
  ASSERT_EQ(
      controller
          ->post("/api/devices", {{"name", "nano"}, {"address", agent->address()}, {"device_type", "jetson_nano"}})
          .status,
      201);

  // 1. A deploy ends with the benchmark window: a fleet row with provenance, at the power the rail shows now.
  auto first = controller->post("/api/deploy", {{"device", "nano"}, {"model_name", "mobilenetv3_small_075"}});
  ASSERT_EQ(first.status, 200) << first.raw << controller->log_tail();
  const json* window = step(first.body, "benchmark_window");
  ASSERT_NE(window, nullptr) << first.raw;
  EXPECT_EQ((*window)["status"], "passed") << window->dump();
  json row = fleet_row(*controller, "jetson_nano", "mobilenetv3_small_075");
  ASSERT_TRUE(row.is_object()) << controller->get("/api/models/all?device_type=jetson_nano&q=mobilenetv3_small").raw;
  EXPECT_NEAR(row["avg_power_w"].get<double>(), 5.0, 0.5) << row.dump(2);
  const auto& prov = row["provenance"];
  EXPECT_EQ(prov["device"], "nano");
  EXPECT_EQ(prov["model_sha256"], first.body["sha256"]);
  EXPECT_NE(prov["sensor"].get<std::string>().find("ina3221x"), std::string::npos) << prov.dump();
  EXPECT_FALSE(prov["agent_version"].get<std::string>().empty());
  EXPECT_FALSE(prov["backend"].get<std::string>().empty());
  EXPECT_EQ(prov["threads"], 1);
  EXPECT_TRUE(prov["measured_at_s"].is_number());

  // 2. The board now draws 7 W: the next window's row says so, and so do the comparison and /metrics.
  nano.set_power_mw(7000);
  auto second = controller->post("/api/deploy", {{"device", "nano"}, {"model_name", "mobilenetv2_050"}});
  ASSERT_EQ(second.status, 200) << second.raw;
  json row2 = fleet_row(*controller, "jetson_nano", "mobilenetv2_050");
  ASSERT_TRUE(row2.is_object());
  EXPECT_NEAR(row2["avg_power_w"].get<double>(), 7.0, 0.7) << row2.dump(2);
  json cmp;
  EXPECT_TRUE(eventually([&] {
    cmp = controller->get("/api/energy/compare").body;
    if (cmp["count"] != 1 || cmp["devices"][0]["model"] != "mobilenetv2_050") return false;
    const auto& idle = cmp["devices"][0]["measured"]["idle_power_w"];
    return idle.is_number() && std::abs(idle.get<double>() - 7.0) < 1e-6;
  })) << cmp.dump(2);
  const auto& d = cmp["devices"][0];
  EXPECT_NEAR(d["measured"]["energy_per_hour_mwh"].get<double>(), 7000, 70);
  EXPECT_TRUE(d["measured"]["duty_cycle"].is_number());
  // The deploy priced mobilenetv2_050 from the catalog per inference (the Jetson schema knows N): like for like.
  EXPECT_TRUE(d["error_pct"].is_number()) << d.dump(2);
  auto metrics = controller->get("/metrics").raw;
  EXPECT_NE(
      metrics.find("edgeml_device_idle_power_watts{device=\"nano\",device_type=\"jetson_nano\",model=\"mobilenetv2_"
                   "050\"} 7"),
      std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("edgeml_device_gross_energy_per_inference_millijoules{device=\"nano\""), std::string::npos);
  EXPECT_NE(metrics.find("edgeml_catalog_rows_by_source{device_type=\"jetson_nano\",source=\"fleet\"} 2"),
            std::string::npos);

  // 3. Rows measured elsewhere: clean ones recalibrate jetson_nano's predictors in the background.
  auto before = controller->get("/api/predictors").body;
  EXPECT_TRUE(before["predictors"]["jetson_nano"]["measured"]["calibration"].is_null()) << "two fleet rows: too few";
  const long long builds = before["build"]["builds"];
  auto posted = controller->post("/api/catalog/rows",
                                 {{"device_type", "jetson_nano"},
                                  {"rows", rows_from_catalog(*controller, "jetson_nano", 6, 1.25)},
                                  {"provenance", {{"device", "lab-nano-2"}, {"sensor", "FNB58 USB meter"}}}});
  ASSERT_EQ(posted.status, 201) << posted.raw;
  EXPECT_EQ(posted.body["clean"], 6);
  EXPECT_EQ(posted.body["recalibrating"], json::array({"jetson_nano"}));
  auto after = predictors_after(*controller, builds);
  const auto& nano_pred = after["predictors"]["jetson_nano"];
  EXPECT_GE(nano_pred["fresh_rows"].get<int>(), 6) << nano_pred.dump();
  EXPECT_TRUE(nano_pred["measured"]["calibration"].is_object()) << nano_pred["calibration_note"];
  EXPECT_GT(nano_pred["measured"]["calibration"]["factor_at_scale_1"].get<double>(), 1.0) << "the lab draws more";
  EXPECT_EQ(after["build"]["reason"].get<std::string>().find("clean row(s) added for jetson_nano") != std::string::npos,
            true)
      << after["build"].dump();

  // 4. A new device type with a few rows of its own borrows another's power model, and says so.
  const long long builds2 = after["build"]["builds"];
  auto orin = controller->post("/api/catalog/rows",
                               {{"device_type", "orin_nx"}, {"rows", rows_from_catalog(*controller, "rpi5", 6, 0.8)}});
  ASSERT_EQ(orin.status, 201) << orin.raw;
  EXPECT_EQ(orin.body["clean"], 6) << orin.raw;
  // The same rows as a CSV upload: one more row, read by column name.
  std::string csv =
      "model,params_m,gflops,gmacs,size_mb,energy_avg_mwh,duration_avg_s\n"
      "csv_net,3.5,0.6,0.3,14,20.5,18.2\n";
  auto from_csv = controller->post_raw("/api/catalog/rows?device_type=orin_nx", csv, "text/csv");
  ASSERT_EQ(from_csv.status, 201) << from_csv.raw;
  auto borrowed = predictors_after(*controller, builds2);
  const auto& orin_pred = borrowed["predictors"]["orin_nx"];
  ASSERT_TRUE(orin_pred["per_run"].is_object()) << orin_pred.dump(2);
  EXPECT_FALSE(orin_pred["per_run"]["borrowed_from"].is_null()) << orin_pred.dump(2);
  auto predict =
      controller->post("/api/predict-energy?device_type=orin_nx",
                       {{"params_m", 3.5}, {"gflops", 0.6}, {"gmacs", 0.3}, {"size_mb", 14}, {"duration_avg_s", 18}});
  ASSERT_EQ(predict.status, 200) << predict.raw;
  EXPECT_EQ(predict.body["device_type"], "orin_nx");
  EXPECT_EQ(predict.body["device_type_from"], "query");
  EXPECT_FALSE(predict.body["borrowed_from"].is_null()) << predict.raw;
  EXPECT_EQ(predict.body["ci_lower_mwh"], predict.body["confidence_interval"][0]);
  EXPECT_EQ(predict.body["ci_upper_mwh"], predict.body["confidence_interval"][1]);
  auto batch = controller->post("/api/predict-energy", {{"device_type", "orin_nx"},
                                                        {"models",
                                                         {{{"params_m", 3.5},
                                                           {"gflops", 0.6},
                                                           {"gmacs", 0.3},
                                                           {"size_mb", 14},
                                                           {"duration_avg_s", 18},
                                                           {"model_name", "x"}}}}});
  ASSERT_EQ(batch.status, 200) << batch.raw;
  EXPECT_EQ(batch.body["predictions"][0]["device_type_from"], "batch");
  EXPECT_TRUE(batch.body["predictions"][0]["energy_per_inference_mj"].is_null()) << "a run of unknown length";

  // Bad rows are refused naming the field; nothing is added.
  auto bad =
      controller->post("/api/catalog/rows", {{"device_type", "orin_nx"}, {"rows", {{{"model", "x"}, {"watts", 3}}}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["field"], "rows[0].watts") << bad.raw;
  EXPECT_EQ(controller->post("/api/catalog/rows", {{"device_type", "orin_nx"}, {"rows", json::array()}}).status, 400);
  EXPECT_EQ(controller->post_raw("/api/catalog/rows", csv, "text/csv").body["field"], "device_type");

  // 5. A restart keeps every fleet and API row, and the predictors built on them.
  ASSERT_EQ(controller->terminate(), 0);
  controller = start_controller(state, {"--window-seconds", "1"});
  auto orin_rows = controller->get("/api/models/all?device_type=orin_nx").body;
  EXPECT_EQ(orin_rows["count"], 7) << orin_rows.dump();
  for (const auto& m : orin_rows["models"]) EXPECT_EQ(m["source"], "api");
  EXPECT_TRUE(fleet_row(*controller, "jetson_nano", "mobilenetv2_050").is_object());
  auto again = controller->get("/api/predictors").body;
  EXPECT_FALSE(again["predictors"]["orin_nx"]["per_run"]["borrowed_from"].is_null());
  EXPECT_TRUE(again["predictors"]["jetson_nano"]["measured"]["calibration"].is_object());
  auto report = controller->get("/api/catalog/report").body;
  EXPECT_EQ(report["origins"]["api"], 13);
  EXPECT_EQ(report["origins"]["fleet"], 2);
  EXPECT_TRUE(report["repairs"].contains("params_gflops_swapped")) << "the data-quality view shows repairs";

  // 6. Exported in the seed schema, with where each row came from.
  auto exported = controller->client().Get("/api/catalog/export?device_type=orin_nx");
  ASSERT_TRUE(exported);
  EXPECT_EQ(exported->status, 200);
  const std::string& text = exported->body;
  EXPECT_EQ(text.rfind("model,", 0), 0u) << text.substr(0, 200);
  EXPECT_NE(text.find("csv_net"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 8) << text;
}

TEST(CatalogEnergyE2E, GateOutcomesAndUnknownModels) {
  TempDir agent_state("gate-agent");
  auto agent = start_agent("bare_vm", agent_state.path);  // no power source: the window is skipped, quickly
  // No benchmark data: every energy is unknown until rows are posted.
  auto warn = start_controller(controller_state("e2e-gate-warn", true), {}, {}, false);
  auto refuse = start_controller(controller_state("e2e-gate-refuse", true), {"--unknown-energy", "refuse"}, {}, false);
  auto allow = start_controller(controller_state("e2e-gate-allow", true), {"--unknown-energy", "allow"}, {}, false);
  for (auto* c : {warn.get(), refuse.get(), allow.get()})
    ASSERT_EQ(c->post("/api/devices", {{"name", "board"}, {"address", agent->address()}, {"device_type", "test_board"}})
                  .status,
              201);
  auto gate = [](const Reply& r) { return r.body["energy_gate"]["outcome"].get<std::string>(); };

  // warn (the default): the README's example goes through without force; the gate step is skipped, with a warning.
  auto readme = warn->post(
      "/api/deploy", {{"bbb_ip", agent->address()}, {"model_name", "mobilenetv3_small_075"}, {"max_energy", 100}});
  ASSERT_EQ(readme.status, 200) << readme.raw;
  EXPECT_EQ(gate(readme), "skipped");
  bool warned = false;
  for (const auto& w : readme.body["warnings"]) warned |= w.get<std::string>().find("energy unknown") == 0;
  EXPECT_TRUE(warned) << readme.body["warnings"].dump();
  EXPECT_EQ(step(readme.body, "benchmark_window")->at("status"), "skipped");
  EXPECT_NE(step(readme.body, "benchmark_window")->at("detail").get<std::string>().find("no power source"),
            std::string::npos);
  for (const char* k : {"result", "model_info", "artifact", "energy_budget_mwh"})
    EXPECT_TRUE(readme.body.contains(k)) << k << " (the original system's deploy reply)";
  EXPECT_EQ(readme.body["energy_budget_mwh"], 100);

  // A figure known (a row posted for test_board): passed within budget, rejected over it, forced with force.
  ASSERT_EQ(warn->post("/api/catalog/rows", {{"device_type", "test_board"},
                                             {"rows",
                                              {{{"model", "mobilenetv3_small_075"},
                                                {"params_m", 2.0},
                                                {"gflops", 0.1},
                                                {"gmacs", 0.05},
                                                {"size_mb", 8.0},
                                                {"iterations_per_measurement", 100},
                                                {"latency_avg_s", 0.01},
                                                {"energy_avg_mwh", 10}}}}})
                .status,
            201);
  auto passed = warn->post(
      "/api/deploy",
      {{"device", "board"}, {"model_name", "mobilenetv3_small_075"}, {"max_energy", 100}, {"benchmark_window", false}});
  EXPECT_EQ(passed.status, 200) << passed.raw;
  EXPECT_EQ(gate(passed), "passed");
  EXPECT_TRUE(passed.body["warnings"].size() == 1u) << "only the placeholder weights" << passed.body["warnings"];
  EXPECT_EQ(step(passed.body, "benchmark_window"), nullptr) << "benchmark_window: false";
  auto rejected =
      warn->post("/api/deploy", {{"device", "board"}, {"model_name", "mobilenetv3_small_075"}, {"max_energy", 5}});
  EXPECT_EQ(rejected.status, 409) << rejected.raw;
  EXPECT_EQ(gate(rejected), "rejected");
  EXPECT_EQ(rejected.body["model_energy"], 10);
  auto forced = warn->post("/api/deploy", {{"device", "board"},
                                           {"model_name", "mobilenetv3_small_075"},
                                           {"max_energy", 5},
                                           {"force", true},
                                           {"benchmark_window", false}});
  EXPECT_EQ(forced.status, 200) << forced.raw;
  EXPECT_EQ(gate(forced), "forced");

  // refuse: unknown energy with a budget is rejected, unless forced.
  auto refused =
      refuse->post("/api/deploy", {{"device", "board"}, {"model_name", "mobilenetv2_050"}, {"max_energy", 100}});
  EXPECT_EQ(refused.status, 409) << refused.raw;
  EXPECT_EQ(gate(refused), "rejected");
  auto overridden = refuse->post("/api/deploy", {{"device", "board"},
                                                 {"model_name", "mobilenetv2_050"},
                                                 {"max_energy", 100},
                                                 {"force", true},
                                                 {"benchmark_window", false}});
  EXPECT_EQ(overridden.status, 200) << overridden.raw;
  EXPECT_EQ(gate(overridden), "forced");

  // allow: skipped, no warning about energy.
  auto allowed = allow->post(
      "/api/deploy",
      {{"device", "board"}, {"model_name", "mobilenetv2_050"}, {"max_energy", 100}, {"benchmark_window", false}});
  EXPECT_EQ(allowed.status, 200) << allowed.raw;
  EXPECT_EQ(gate(allowed), "skipped");
  for (const auto& w : allowed.body["warnings"])
    EXPECT_EQ(w.get<std::string>().find("energy unknown"), std::string::npos);

  // An unknown model answers 404 before any gate (even one that would refuse), and nothing is recorded.
  for (auto* c : {warn.get(), refuse.get()}) {
    const auto logged = c->get("/api/logs").body["count"];
    auto unknown = c->post("/api/deploy", {{"device", "board"}, {"model_name", "no_such_model"}, {"max_energy", 1}});
    EXPECT_EQ(unknown.status, 404) << unknown.raw;
    EXPECT_EQ(unknown.body["field"], "model_name");
    EXPECT_EQ(c->get("/api/logs").body["count"], logged);
  }
}
