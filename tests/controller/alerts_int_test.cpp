// Alerts in the real controller (issue 14): a real agent on a copy of a Jetson Nano's /sys whose temperature files
// this test raises and lowers, polled by a real controller whose rule notifies a webhook receiver on 127.0.0.1. The
// receiver sees one "firing" with the issue's fields, repeats while it holds, and one "resolved"; rules and state
// survive a controller restart (no second "firing"); email goes through a real SMTP server (aiosmtpd); a webhook
// that never answers shows in /api/alerts/deliveries with its retries and error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "deploy_support.hpp"
#include "fixture_agent.hpp"
#include "temp_dir.hpp"
#include "webhook_receiver.hpp"

namespace fs = std::filesystem;
using namespace edgeml::deploy_test;
using nlohmann::json;

namespace {

std::vector<json> bodies(edgeml::testing::WebhookReceiver& rx, const std::string& path) {
  std::vector<json> out;
  for (const auto& r : rx.requests())
    if (r.path == path) out.push_back(json::parse(r.body));
  return out;
}

size_t count_status(const std::vector<json>& list, const std::string& status, bool first_only) {
  size_t n = 0;
  for (const auto& b : list)
    if (b["status"] == status && (!first_only || b.value("repeat", 0) == 0)) ++n;
  return n;
}

Reply send(const Service& s, const std::string& method, const std::string& path, const json& body = nullptr) {
  auto c = s.client();
  httplib::Result r = method == "PUT"      ? c.Put(path, body.dump(), "application/json")
                      : method == "DELETE" ? c.Delete(path)
                                           : c.Get(path);
  if (!r) throw std::runtime_error("no answer");
  return {r->status, json::parse(r->body, nullptr, false), r->body, {}};
}

}  // namespace

TEST(AlertsInController, AFixtureDeviceRunningHotFiresRepeatsAndResolvesOnceAcrossARestart) {
  edgeml::testing::WebhookReceiver rx;
  HotDevice device;
  fs::path state = controller_state("alerts-hot", true);
  auto controller = controller_on(state);
  register_device(*controller, device.agent(), "edge-1");
  const std::string hook = "/hook/secret-token";
  // The issue's form, plus a repeat every 2 s while it holds.
  auto created = controller->post("/api/alerts/rules", {{"name", "hot"},
                                                        {"metric", "temperature_c"},
                                                        {"op", ">"},
                                                        {"threshold", 35},
                                                        {"for_s", 0},
                                                        {"repeat_s", 2},
                                                        {"device", "edge-1"},
                                                        {"notify", {{{"webhook", rx.url(hook)}}}}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(
      controller->post("/api/alerts/rules", {{"name", "hot"}, {"metric", "power_w"}, {"op", ">"}, {"threshold", 1}})
          .status,
      409)
      << "names are unique";
  auto bad = controller->post("/api/alerts/rules", {{"name", "x"}, {"metric", "temperature_c"}, {"op", "~"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.value("field", ""), "op") << bad.raw;

  // Cool: samples arrive, nothing fires.
  ASSERT_TRUE(eventually([&] { return controller->get("/api/devices").body["devices"][0].value("online", false); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(bodies(rx, hook).empty());

  device.set_celsius(45);
  ASSERT_TRUE(eventually([&] { return count_status(bodies(rx, hook), "firing", true) == 1; }, 20));
  json fired = bodies(rx, hook).front();
  EXPECT_EQ(fired["status"], "firing");
  EXPECT_EQ(fired["rule"], "hot");
  EXPECT_EQ(fired["device"], "edge-1");
  EXPECT_NEAR(fired["value"].get<double>(), 45, 0.01);
  EXPECT_TRUE(fired.contains("time")) << fired.dump();
  auto active = controller->get("/api/alerts");
  ASSERT_EQ(active.body["count"], 1) << active.raw;
  EXPECT_EQ(active.body["alerts"][0]["rule"], "hot");
  EXPECT_EQ(active.body["alerts"][0]["status"], "firing");
  // A repeat comes while it holds (repeat_s 2).
  ASSERT_TRUE(eventually([&] { return count_status(bodies(rx, hook), "firing", false) >= 2; }, 10));

  // Restart while still hot: the rule and the firing state come back; no second first "firing".
  controller->terminate();
  controller = controller_on(state);
  auto rules = controller->get("/api/alerts/rules");
  ASSERT_EQ(rules.body["count"], 1) << rules.raw;
  EXPECT_EQ(rules.body["rules"][0]["name"], "hot");
  EXPECT_EQ(controller->get("/api/alerts").body["alerts"][0]["status"], "firing");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // several polls of the hot device

  device.set_celsius(25);
  ASSERT_TRUE(eventually([&] { return count_status(bodies(rx, hook), "resolved", false) == 1; }, 20));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  auto all = bodies(rx, hook);
  EXPECT_EQ(count_status(all, "firing", true), 1u) << "fired once, not again after the restart";
  EXPECT_EQ(count_status(all, "resolved", false), 1u);
  EXPECT_EQ(all.back()["status"], "resolved");
  EXPECT_LT(all.back()["value"].get<double>(), 35);
  EXPECT_EQ(controller->get("/api/alerts").body["count"], 0);

  // The history: firing, repeats, resolved (the same as the receiver saw), as JSON and as CSV.
  auto history = controller->get("/api/alerts/history");
  ASSERT_EQ(history.status, 200);
  std::vector<std::string> kinds;
  for (const auto& t : history.body["history"]) kinds.push_back(t["kind"]);
  ASSERT_GE(kinds.size(), 3u);
  EXPECT_EQ(kinds.front(), "firing");
  EXPECT_EQ(kinds.back(), "resolved");
  EXPECT_EQ(kinds.size(), all.size()) << "one history row per notification";
  auto csv = controller->get("/api/alerts/history?format=csv");
  EXPECT_EQ(csv.raw.rfind("at,at_s,kind,status,rule,device", 0), 0u) << csv.raw;
  EXPECT_NE(csv.raw.find(",resolved,resolved,hot,edge-1,temperature_c,"), std::string::npos) << csv.raw;
  auto deliveries = controller->get("/api/alerts/deliveries");
  EXPECT_EQ(deliveries.body["failed"], 0) << deliveries.raw;
  EXPECT_EQ(deliveries.raw.find("secret-token"), std::string::npos) << "a webhook's path is never shown";

  // Edit (a changed threshold starts over), then delete.
  auto edited = send(*controller, "PUT", "/api/alerts/rules/hot",
                     {{"metric", "temperature_c"}, {"op", ">"}, {"threshold", 50}, {"device", "edge-1"}});
  ASSERT_EQ(edited.status, 200) << edited.raw;
  EXPECT_EQ(controller->get("/api/alerts/rules/hot").body["rule"]["threshold"], 50);
  EXPECT_EQ(send(*controller, "PUT", "/api/alerts/rules/hot", {{"name", "other"}, {"metric", "power_w"}}).status, 400);
  EXPECT_EQ(send(*controller, "DELETE", "/api/alerts/rules/hot").status, 200);
  EXPECT_EQ(send(*controller, "DELETE", "/api/alerts/rules/hot").status, 404);
  EXPECT_EQ(controller->get("/api/alerts/rules/hot").status, 404);
}

TEST(AlertsInController, AWebhookThatNeverAnswersShowsItsRetriesAndError) {
  HotDevice device;
  auto controller = controller_on(controller_state("alerts-failing", true));
  register_device(*controller, device.agent(), "edge-2");
  int closed = edgeml::testing::free_port();  // nothing listens there
  std::string dead = "http://127.0.0.1:" + std::to_string(closed) + "/hook";
  ASSERT_EQ(controller
                ->post("/api/alerts/rules", {{"name", "warm"},
                                             {"metric", "temperature_c"},
                                             {"op", ">="},
                                             {"threshold", 20},
                                             {"device", "edge-2"},
                                             {"notify", {{{"webhook", dead}}}}})
                .status,
            201);
  json last;
  ASSERT_TRUE(eventually(
      [&] {
        last = controller->get("/api/alerts/deliveries").body;
        return last["failed"] == 1;
      },
      30))
      << last.dump();
  const json& d = last["deliveries"][0];
  EXPECT_EQ(d["status"], "failed");
  EXPECT_GE(d["attempts"].size(), 2u) << "retried before giving up: " << d.dump();
  EXPECT_FALSE(d["attempts"].back()["error"].get<std::string>().empty()) << d.dump();
}

TEST(AlertsInController, EmailGoesThroughARealSmtpServer) {
  TempDir mail("alerts-smtp-out");
  edgeml::testing::ChildProcess smtp({EDGEML_PYTHON3, std::string(EDGEML_SOURCE_DIR) + "/tests/alerts/smtp_server.py",
                                      "--out", mail.path.string(), "--fail-first", "0"});
  std::string line = smtp.wait_for_line("listening on smtp://", std::chrono::seconds(30));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(line, m, std::regex(R"(://127\.0\.0\.1:(\d+))"))) << line;
  // A relay on this machine without credentials: plain SMTP is allowed only here (smtp_settings_from_env).
  std::map<std::string, std::string> env{{"EDGEML_SMTP_URL", "smtp://127.0.0.1:" + std::string(m[1])},
                                         {"EDGEML_SMTP_FROM", "alerts@edgeml.test"},
                                         {"EDGEML_SMTP_STARTTLS", "off"}};
  HotDevice device;
  auto controller = controller_on(controller_state("alerts-smtp", true), env);
  register_device(*controller, device.agent(), "edge-3");
  ASSERT_EQ(controller
                ->post("/api/alerts/rules", {{"name", "warm-mail"},
                                             {"metric", "temperature_c"},
                                             {"op", ">"},
                                             {"threshold", 20},
                                             {"severity", "critical"},
                                             {"device", "edge-3"},
                                             {"notify", {{{"email", {"ops@example.org"}}}}}})
                .status,
            201);
  fs::path first = mail.path / "0001.json";
  ASSERT_TRUE(eventually([&] { return fs::exists(first); }, 20)) << controller->get("/api/alerts/deliveries").raw;
  std::ifstream in(first);
  json msg = json::parse(in);
  EXPECT_EQ(msg["mail_from"], "alerts@edgeml.test");
  EXPECT_EQ(msg["rcpt_tos"], json::array({"ops@example.org"}));
  std::string data = msg["data"];
  EXPECT_NE(data.find("warm-mail"), std::string::npos) << data;
  EXPECT_NE(data.find("edge-3"), std::string::npos) << data;
  EXPECT_NE(data.find("FIRING"), std::string::npos) << data;
}
