// Reports and battery policies through the real controller (issue 14). A real agent on a Jetson Nano fixture copy
// runs at 40 C with a model deployed and a firing alert; GET /api/reports downloads CSV, XLSX and PDF, each read with
// an independent reader (our CSV split, Python's zipfile, poppler's pdftotext) and checked against the API's own
// figures (/api/logs, /api/alerts/history). PUT /api/devices/:id/policy reaches the agent, whose 400 names the field.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <sstream>
#include <thread>

#include "fixture_agent.hpp"

namespace fs = std::filesystem;
using namespace edgeml::deploy_test;
using nlohmann::json;

namespace {

std::string run_capture(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// "a,b,,c" -> cells (the report's cells carry no commas in the rows this test reads).
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string c; std::getline(in, c, ',');) out.push_back(c);
  return out;
}

// The value of the CSV row (section, device, model, figure), or "" when absent.
std::string figure(const std::string& csv, const std::string& section, const std::string& device,
                   const std::string& model, const std::string& name) {
  std::stringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    auto c = cells(line);
    if (c.size() >= 5 && c[0] == section && c[1] == device && c[2] == model && c[3] == name) return c[4];
  }
  return "";
}

Reply download(const Service& controller, const std::string& query) {
  auto r = controller.client().Get("/api/reports?" + query);
  if (!r) throw std::runtime_error("no answer");
  Reply out{r->status, json::parse(r->body, nullptr, false), r->body, {}};
  for (const auto& [k, v] : r->headers) out.headers[k] = v;
  return out;
}

}  // namespace

TEST(ReportsInController, EachFormatCarriesTheFiguresTheApiShows) {
  HotDevice device;
  device.set_celsius(40);
  auto controller = controller_on(controller_state("reports", true));
  register_device(*controller, device.agent(), "edge-1");
  ASSERT_EQ(
      controller
          ->post("/api/alerts/rules",
                 {{"name", "hot"}, {"metric", "temperature_c"}, {"op", ">"}, {"threshold", 35}, {"device", "edge-1"}})
          .status,
      201);
  auto deployed = controller->post("/api/deploy", {{"device", "edge-1"}, {"model_name", "mobilenetv2_050"}});
  ASSERT_EQ(deployed.status, 200) << deployed.raw;
  ASSERT_TRUE(eventually([&] { return controller->get("/api/alerts").body["count"] == 1; }, 20));
  // Telemetry with the deployed model active.
  ASSERT_TRUE(eventually([&] {
    auto t = controller->get("/api/devices/edge-1/telemetry");
    return !t.body["samples"].empty() && t.body["samples"].back().value("active_model", "") == "mobilenetv2_050";
  }));
  std::this_thread::sleep_for(std::chrono::seconds(1));

  double now = static_cast<double>(std::time(nullptr));
  std::string range = "from=" + std::to_string(static_cast<long long>(now - 600)) +
                      "&to=" + std::to_string(static_cast<long long>(now + 5)) + "&scope=device:edge-1";
  // The API's figures.
  auto logs = controller->get("/api/logs").body["logs"];
  int deploys = 0, failures = 0;
  std::optional<double> predicted;
  for (const auto& l : logs)
    if (l["device"] == "edge-1" && l["kind"] == "deploy") {
      ++deploys;
      failures += l["status"] == "failed";
      if (l["status"] == "succeeded" && l["predicted_energy_per_inference_mj"].is_number())
        predicted = l["predicted_energy_per_inference_mj"].get<double>();
    }
  int fired = 0;
  auto history = controller->get("/api/alerts/history");
  for (const auto& h : history.body["history"]) fired += h["kind"] == "firing";
  ASSERT_EQ(deploys, 1);
  ASSERT_EQ(fired, 1) << history.raw << controller->get("/api/alerts").raw;

  // CSV.
  auto csv = download(*controller, "format=csv&" + range);
  ASSERT_EQ(csv.status, 200) << csv.raw;
  EXPECT_NE(csv.headers["Content-Disposition"].find("attachment"), std::string::npos);
  EXPECT_EQ(figure(csv.raw, "device", "edge-1", "", "deploys"), std::to_string(deploys)) << csv.raw.substr(0, 3000);
  EXPECT_EQ(figure(csv.raw, "device", "edge-1", "", "deploy_failures"), std::to_string(failures));
  EXPECT_EQ(figure(csv.raw, "device", "edge-1", "", "alerts_fired"), std::to_string(fired));
  EXPECT_NEAR(std::stod(figure(csv.raw, "device", "edge-1", "", "temperature_c_max")), 40, 0.01);
  if (predicted) {
    std::string p = figure(csv.raw, "model", "edge-1", "mobilenetv2_050", "predicted_energy_per_inference_mj");
    ASSERT_FALSE(p.empty()) << csv.raw.substr(0, 4000);
    EXPECT_NEAR(std::stod(p), *predicted, 1e-6 * *predicted);
  }

  // XLSX: a zip of XML, read with Python's zipfile.
  auto xlsx = download(*controller, "format=xlsx&" + range);
  ASSERT_EQ(xlsx.status, 200);
  fs::path file = fs::path(controller_state("reports", false)) / "report.xlsx";
  std::ofstream(file, std::ios::binary) << xlsx.raw;
  std::string xml = run_capture(std::string(EDGEML_PYTHON3) +
                                " -c \"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); "
                                "print('\\n'.join(z.read(n).decode() for n in z.namelist() if n.endswith('.xml')))\" " +
                                file.string());
  EXPECT_NE(xml.find("edge-1"), std::string::npos);
  EXPECT_NE(xml.find("mobilenetv2_050"), std::string::npos);
  EXPECT_NE(xml.find("<c:scatterChart>"), std::string::npos) << "charts of power and temperature";

  // PDF, read with pdftotext.
  auto pdf = download(*controller, "format=pdf&" + range);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.raw.rfind("%PDF-", 0), 0u);
  fs::path pdf_file = file.parent_path() / "report.pdf";
  std::ofstream(pdf_file, std::ios::binary) << pdf.raw;
  std::string text = run_capture("pdftotext -layout " + pdf_file.string() + " -");
  EXPECT_NE(text.find("edge-1"), std::string::npos) << text.substr(0, 2000);
  EXPECT_NE(text.find("mobilenetv2_050"), std::string::npos);
  EXPECT_NE(text.find("hot"), std::string::npos) << "the alert is listed";

  auto bad = download(*controller, "format=doc&" + range);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.value("field", ""), "format");
}

TEST(ReportsInController, APolicyPutThroughTheControllerReachesTheAgent) {
  HotDevice device;
  auto controller = controller_on(controller_state("policy-push", true));
  register_device(*controller, device.agent(), "edge-p");
  auto c = controller->client();
  auto bad = c.Put("/api/devices/edge-p/policy", R"({"rules": [{"battery_above": 170, "model": "large"}]})",
                   "application/json");
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(json::parse(bad->body)["field"], "rules[0].battery_above") << bad->body;
  auto good = c.Put("/api/devices/edge-p/policy",
                    R"({"rules": [{"battery_above": 30, "model": "large"}, {"model": "small"}], "hysteresis_pct": 4})",
                    "application/json");
  ASSERT_EQ(good->status, 200) << good->body;
  auto shown = controller->get("/api/devices/edge-p/policy");
  ASSERT_EQ(shown.status, 200) << shown.raw;
  EXPECT_EQ(shown.body["policy"]["configured"], true);
  EXPECT_EQ(shown.body["policy"]["source"], "pushed");
  EXPECT_EQ(shown.body["policy"]["policy"]["hysteresis_pct"], 4);
  auto status = device.agent().get("/status");
  EXPECT_EQ(status.body["battery_policy"]["configured"], true) << "in the agent's /status too";
}

// A/B: model A on one agent, B on another (same device type), each arm's median inference latency from stored
// telemetry while its model ran, Welch's comparison, and promotion of the winner (or 409 while there is none).
TEST(AbTestsInController, TwoArmsDeployCollectCompareAndPromote) {
  HotDevice a({"--infer-hz", "10"}), b({"--infer-hz", "10"});
  auto controller = controller_on(controller_state("abtest", true));
  register_device(*controller, a.agent(), "arm-a");
  register_device(*controller, b.agent(), "arm-b");
  auto bad = controller->post("/api/abtests", {{"model_a", "mobilenetv2_050"},
                                               {"model_b", "mobilenetv2_050"},
                                               {"devices_a", {"arm-a"}},
                                               {"devices_b", {"arm-b"}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.value("field", ""), "model_b");
  auto started = controller->post("/api/abtests", {{"model_a", "mobilenetv2_050"},
                                                   {"model_b", "mobilenetv3_small_075"},
                                                   {"devices_a", {"arm-a"}},
                                                   {"devices_b", {"arm-b"}},
                                                   {"metric", "inference_p50_s"}});
  ASSERT_EQ(started.status, 202) << started.raw;
  std::string path = "/api/abtests/" + std::to_string(started.body["id"].get<long long>());
  json t;
  ASSERT_TRUE(eventually(
      [&] {
        t = controller->get(path).body;
        return t["samples_a"].get<int>() >= 10 && t["samples_b"].get<int>() >= 10;
      },
      120))
      << t.dump();
  ASSERT_TRUE(t["comparison"].is_object()) << t.dump();
  const json& c = t["comparison"];
  EXPECT_EQ(c["metric"], "inference_p50_s");
  std::string verdict = c["verdict"];
  // The interval brackets the difference of the arms' means.
  const json& d = c["difference"];
  EXPECT_NEAR(d["b_minus_a"].get<double>(), c["b"]["mean"].get<double>() - c["a"]["mean"].get<double>(), 1e-12);
  EXPECT_LE(d["ci_low"].get<double>(), d["b_minus_a"].get<double>()) << c.dump();
  EXPECT_GE(d["ci_high"].get<double>(), d["b_minus_a"].get<double>()) << c.dump();
  EXPECT_EQ(c["a"]["n"], t["samples_a"]);
  auto promoted = controller->post(path + "/promote", json::object());
  if (verdict == "a_better" || verdict == "b_better") {
    ASSERT_EQ(promoted.status, 202) << promoted.raw;
    std::string winner = verdict == "a_better" ? "mobilenetv2_050" : "mobilenetv3_small_075";
    EXPECT_EQ(promoted.body["promoted_model"], winner);
    ASSERT_TRUE(eventually(
        [&] {
          auto sa = a.agent().get("/status").body, sb = b.agent().get("/status").body;
          return sa["active_model"].is_object() && sb["active_model"].is_object() &&
                 sa["active_model"]["name"] == winner && sb["active_model"]["name"] == winner;
        },
        120));
  } else {
    EXPECT_EQ(promoted.status, 409) << promoted.raw;
    EXPECT_EQ(promoted.body.value("field", ""), "verdict");
  }
}
