// TLS and device enrollment with real processes: a controller and agents serving HTTPS with certificates made by
// `edgeml certs` (curl with --cacert works, plain HTTP and unknown CAs do not), an agent pulling a model over HTTPS
// verifying the controller (--controller-ca), and agents enrolling with an enrollment token: pending, accepted (then
// deployed to with the sealed token and a signed link), rejected, revoked.
#include <gtest/gtest.h>

#include "agent/version.hpp"
#include "agent_test_support.hpp"
#include "child_process.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "security_support.hpp"

using namespace edgeml;
using edgeml::deploy_test::controller_state;
using edgeml::deploy_test::eventually;
using edgeml::deploy_test::Service;
using edgeml::deploy_test::start_agent;
using edgeml::deploy_test::start_controller;
using edgeml::deploy_test::TempDir;
using namespace edgeml::security_test;
using nlohmann::json;

namespace {

std::string curl(const std::string& args) { return "curl -sS --max-time 10 " + args; }

// The agent's state as GET /status reports it (over plain HTTP on loopback).
json agent_status(const Service& agent) { return agent.get("/status").body; }

}  // namespace

TEST(ControllerTls, BothServicesServeHttpsWithTheFleetCa) {
  TempDir dir("sec-tls");
  const auto certs = dir.path / "certs";
  auto init = run(edgeml::testing::bin("edgeml") + " certs init --out " + certs.string() + " --host 127.0.0.1");
  ASSERT_EQ(init.exit_code, 0) << init.output;
  auto issue =
      run(edgeml::testing::bin("edgeml") + " certs issue --ca " + certs.string() + " --name agent --host 127.0.0.1");
  ASSERT_EQ(issue.exit_code, 0) << issue.output;
  const std::string ca = (certs / "ca.crt").string();

  auto c = start_controller(
      controller_state("sec-tls", true),
      {"--tls-cert", (certs / "controller.crt").string(), "--tls-key", (certs / "controller.key").string()}, {}, false);
  const std::string url = "https://127.0.0.1:" + std::to_string(c->port());
  auto ok = run(curl("--cacert " + ca + " " + url + "/healthz"));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("\"status\":\"ok\""), std::string::npos) << ok.output;
  auto untrusted = run(curl(url + "/healthz"));  // the system's CAs do not know the fleet's CA
  EXPECT_EQ(untrusted.exit_code, 60) << untrusted.output;
  auto plain = run(curl("http://127.0.0.1:" + std::to_string(c->port()) + "/healthz"));
  EXPECT_NE(plain.exit_code, 0) << "plain HTTP to the TLS port: " << plain.output;
  EXPECT_EQ(plain.output.find("\"status\""), std::string::npos) << plain.output;

  auto agent = std::make_unique<edgeml::testing::ChildProcess>(
      std::vector<std::string>{edgeml::testing::bin("edgeml-agent"), "--host", "127.0.0.1", "--port", "0", "--state",
                               (dir.path / "agent").string(), "--tls-cert", (certs / "agent.crt").string(), "--tls-key",
                               (certs / "agent.key").string()});
  int agent_port = agent->wait_for_port();
  auto status = run(curl("--cacert " + ca + " https://127.0.0.1:" + std::to_string(agent_port) + "/status"));
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("\"agent\""), std::string::npos);
  EXPECT_NE(run(curl("http://127.0.0.1:" + std::to_string(agent_port) + "/status")).exit_code, 0);
}

TEST(ControllerTls, HttpsBothWaysBetweenControllerAndAgents) {
  TempDir dir("sec-pull");
  const auto certs = dir.path / "certs", other = dir.path / "other";
  ASSERT_EQ(run(edgeml::testing::bin("edgeml") + " certs init --out " + certs.string() + " --host 127.0.0.1").exit_code,
            0);
  ASSERT_EQ(run(edgeml::testing::bin("edgeml") + " certs init --out " + other.string() + " --host 127.0.0.1").exit_code,
            0);
  ASSERT_EQ(
      run(edgeml::testing::bin("edgeml") + " certs issue --ca " + certs.string() + " --name agent --host 127.0.0.1")
          .exit_code,
      0);
  const std::string ca = (certs / "ca.crt").string();
  // The controller calls its agents over https too (--agent-ca), and serves https to them.
  auto c = start_controller(controller_state("sec-pull", true),
                            {"--tls-cert", (certs / "controller.crt").string(), "--tls-key",
                             (certs / "controller.key").string(), "--agent-ca", ca},
                            {}, false);
  const std::string url = "https://127.0.0.1:" + std::to_string(c->port());
  const std::vector<std::string> agent_tls{"--tls-cert", (certs / "agent.crt").string(), "--tls-key",
                                           (certs / "agent.key").string(), "--controller-ca"};
  auto with = [&](std::vector<std::string> args, const std::string& last) {
    args.push_back(last);
    return args;
  };
  auto trusting = start_agent("rpi5", dir.path / "a1", with(agent_tls, ca));
  auto wrong_ca = start_agent("rpi5", dir.path / "a2", with(agent_tls, (other / "ca.crt").string()));
  auto agent_status = [&](const Service& agent) {
    auto r = run(curl("--cacert " + ca + " https://" + agent.address() + "/status"));
    return json::parse(r.output, nullptr, false);
  };
  std::string model = agent_test::tiny_onnx(3.0f);
  write_file_atomic(dir.path / "tiny.onnx", model);
  auto up = run(curl("--cacert " + ca + " -F file=@" + (dir.path / "tiny.onnx").string() + " -F model_name=tiny " +
                     url + "/api/models/upload"));
  ASSERT_NE(up.output.find("\"success\":true"), std::string::npos) << up.output;
  auto deploy = [&](const Service& agent, const std::string& name) {
    auto reg = run(curl("--cacert " + ca + " -H 'Content-Type: application/json' -d '" +
                        json{{"name", name}, {"address", agent.address()}, {"device_type", "rpi5"}}.dump() + "' " +
                        url + "/api/devices"));
    EXPECT_NE(reg.output.find("\"success\":true"), std::string::npos) << reg.output;
    return run(curl("--cacert " + ca + " -H 'Content-Type: application/json' -d '" +
                    json{{"device", name}, {"model_name", "tiny"}}.dump() + "' " + url + "/api/deploy"));
  };
  auto good = deploy(*trusting, "trusting");
  EXPECT_NE(good.output.find("\"status\":\"success\""), std::string::npos) << good.output << c->log_tail();
  EXPECT_TRUE(eventually([&] {
    return run(curl("--cacert " + ca + " " + url + "/api/devices")).output.find("\"status\":\"online\"") !=
           std::string::npos;
  })) << "the controller polls the agent over https";
  EXPECT_EQ(agent_status(*trusting)["active_model"]["sha256"], sha256_hex(model));
  EXPECT_EQ(agent_status(*trusting)["deploy"]["url"].get<std::string>().rfind(url + "/models/", 0), 0u)
      << "pulled from the controller over https";

  auto bad = deploy(*wrong_ca, "wrong-ca");
  EXPECT_EQ(bad.output.find("\"status\":\"success\""), std::string::npos) << bad.output;
  auto st = agent_status(*wrong_ca);
  EXPECT_EQ(st["deploy"]["state"], "failed");
  EXPECT_NE(st["deploy"]["error"].get<std::string>().find("SSL"), std::string::npos) << st["deploy"].dump();
  EXPECT_TRUE(st["active_model"].is_null()) << "nothing from a controller it could not verify";
}

class Enrollment : public ::testing::Test {
 protected:
  void SetUp() override {
    state = controller_state("sec-enroll", true);
    admin = create_token(state, "admin", "admin");
    viewer = create_token(state, "viewer", "viewer");
    enroll = create_token(state, "device", "site-a");
    controller = start_controller(state, {"--require-auth", "--poll-interval", "0.5"}, {}, false);
    write_file_atomic(dir.path / "machine-id", "0123456789abcdef0123456789abcdef\n");
  }
  std::unique_ptr<Service> start_enrolling_agent(const std::string& fixture, const std::string& name,
                                                 const std::string& token) {
    return start_agent(fixture, dir.path / name,
                       {"--controller", controller->url(), "--enroll-interval", "0.2", "--device-name", name,
                        "--machine-id-file", (dir.path / "machine-id").string()},
                       {{"EDGEML_ENROLL_TOKEN", token}});
  }
  json pending_named(const std::string& name) {
    json found;
    eventually([&] {
      auto list = call(*controller, "GET", "/api/enrollments?status=pending", admin);
      last_listing = list.raw;
      for (const auto& e : list.body["enrollments"])
        if (e["name"] == name) found = e;
      return !found.is_null();
    });
    return found;
  }
  std::string agent_state(const Service& agent) {
    auto e = agent_status(agent)["enrollment"];
    return e.is_object() ? e.value("status", "") : "";
  }

  std::string last_listing;  // for failure messages
  TempDir dir{"sec-enroll"};
  std::filesystem::path state;
  std::string admin, viewer, enroll;
  std::unique_ptr<Service> controller;
};

TEST_F(Enrollment, AcceptedDevicesAreDeployedToWithSealedCredentialsAndCanBeRevoked) {
  auto pi = start_enrolling_agent("rpi5", "pi-7", enroll);
  auto e = pending_named("pi-7");
  ASSERT_FALSE(e.is_null()) << last_listing << pi->log_tail();
  EXPECT_EQ(e["device_type"], "rpi5") << "detected from the device tree";
  EXPECT_EQ(e["model"], "Raspberry Pi 5 Model B Rev 1.0");
  EXPECT_EQ(e["machine_id"], "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(e["agent_version"], agent::kAgentVersion);
  EXPECT_EQ(e["address"], pi->address());
  EXPECT_EQ(e["enrolled_with"], "site-a");
  EXPECT_TRUE(eventually([&] { return agent_state(*pi) == "pending"; }));
  const std::string id = std::to_string(e["id"].get<long long>());

  EXPECT_EQ(call(*controller, "POST", "/api/enrollments/" + id + "/accept", viewer).status, 403);
  auto accepted = call(*controller, "POST", "/api/enrollments/" + id + "/accept", admin);
  ASSERT_EQ(accepted.status, 200) << accepted.raw;
  EXPECT_EQ(accepted.body["enrollment"]["status"], "accepted");
  EXPECT_EQ(call(*controller, "POST", "/api/enrollments/" + id + "/accept", admin).status, 409) << "decided once";
  EXPECT_TRUE(eventually([&] { return agent_state(*pi) == "accepted"; })) << agent_status(*pi).dump();
  auto devices = call(*controller, "GET", "/api/devices", viewer).body["devices"];
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0]["name"], "pi-7");
  EXPECT_EQ(devices[0]["has_token"], true);

  // The agent's credentials: owner-only on the device; in the controller's database neither is in clear text.
  auto creds = json::parse(read_bytes(dir.path / "pi-7/credentials.json"));
  const std::string agent_token = creds["agent_token"], device_token = creds["device_token"];
  EXPECT_EQ(file_mode(dir.path / "pi-7/credentials.json"), 0600u);
  std::string db = read_bytes(state / "controller.db") + read_bytes(state / "controller.db-wal");
  ASSERT_FALSE(db.empty());
  EXPECT_NE(db.find("pi-7"), std::string::npos) << "the database files were read";
  EXPECT_EQ(db.find(agent_token), std::string::npos) << "the controller's key to the agent is sealed";
  EXPECT_EQ(db.find(device_token), std::string::npos) << "the device credential is kept as a hash";
  EXPECT_EQ(file_mode(state / "secret.key"), 0600u);

  // Deploy: the controller presents the (unsealed) agent token, the agent pulls through a signed link.
  EXPECT_EQ(pi->client().Post("/rollback", "", "application/json")->status, 401) << "the agent now needs a token";
  std::string model = agent_test::tiny_onnx(5.0f);
  auto up = upload_model(*controller, admin, "tiny", model);
  ASSERT_EQ(up.status, 201) << up.raw;
  auto deployed =
      call(*controller, "POST", "/api/deploy", admin, json{{"device", "pi-7"}, {"model_name", "tiny"}}.dump());
  ASSERT_EQ(deployed.status, 200) << deployed.raw << controller->log_tail();
  EXPECT_EQ(agent_status(*pi)["active_model"]["sha256"], sha256_hex(model));
  EXPECT_EQ(agent_status(*pi)["deploy"]["url"].get<std::string>().find('?'), std::string::npos)
      << "the link's signature is not shown in /status";

  // The device's own credential reaches the routes for devices, nothing else.
  const std::string file = "/models/" + up.body["file"].get<std::string>();
  EXPECT_EQ(call(*controller, "GET", file, device_token).status, 200);
  EXPECT_EQ(call(*controller, "GET", "/api/devices", device_token).status, 403);

  // Revoked: the credential stops working and the controller forgets its key to the agent.
  auto revoked = call(*controller, "POST", "/api/enrollments/" + id + "/revoke", admin);
  ASSERT_EQ(revoked.status, 200) << revoked.raw;
  EXPECT_EQ(call(*controller, "GET", file, device_token).status, 401);
  EXPECT_EQ(call(*controller, "GET", "/api/devices", viewer).body["devices"][0]["has_token"], false);
  auto again = call(*controller, "POST", "/api/deploy", admin,
                    json{{"device", "pi-7"}, {"model_name", "tiny"}, {"force", true}}.dump());
  EXPECT_NE(again.status, 200) << "the agent refuses a controller without its token: " << again.raw;

  // The audit log holds the decisions with who made them.
  json entries;
  eventually([&] {
    entries = call(*controller, "GET", "/api/audit?limit=50", admin).body["entries"];
    for (const auto& en : entries)
      if (en["action"] == "POST /api/enrollments/:id/revoke") return true;
    return false;
  });
  int decisions = 0;
  for (const auto& en : entries)
    if (en["action"].get<std::string>().rfind("POST /api/enrollments/", 0) == 0 && en["actor"] == "admin" &&
        en["status"] == 200)
      ++decisions;
  EXPECT_EQ(decisions, 2) << entries.dump(1);
}

TEST_F(Enrollment, RejectedAndWrongTokensAreRefused) {
  auto nano = start_enrolling_agent("jetson_nano_l4t32", "nano-9", enroll);
  auto e = pending_named("nano-9");
  ASSERT_FALSE(e.is_null()) << last_listing << nano->log_tail();
  EXPECT_EQ(e["device_type"], "jetson_nano");
  EXPECT_EQ(e["model"], "NVIDIA Jetson Nano Developer Kit");
  auto rejected =
      call(*controller, "POST", "/api/enrollments/" + std::to_string(e["id"].get<long long>()) + "/reject", admin);
  ASSERT_EQ(rejected.status, 200) << rejected.raw;
  EXPECT_TRUE(eventually([&] { return agent_state(*nano) == "rejected"; })) << agent_status(*nano).dump();
  EXPECT_TRUE(call(*controller, "GET", "/api/devices", viewer).body["devices"].empty());
  auto creds = json::parse(read_bytes(dir.path / "nano-9/credentials.json"));
  EXPECT_EQ(call(*controller, "GET", "/models/x.onnx", creds["device_token"]).status, 401);

  // An agent with a wrong enrollment token never appears; its status says why.
  auto stranger = start_enrolling_agent("rpi5", "stranger", "emt_" + std::string(43, 'w'));
  EXPECT_TRUE(eventually([&] { return agent_status(*stranger)["enrollment"]["last_error"].is_string(); }));
  EXPECT_NE(agent_status(*stranger)["enrollment"]["last_error"].get<std::string>().find("401"), std::string::npos);
  EXPECT_EQ(call(*controller, "GET", "/api/enrollments", admin).body["count"], 1);

  // A viewer token is not an enrollment token either.
  auto viewer_agent = start_enrolling_agent("rpi5", "viewer-agent", viewer);
  EXPECT_TRUE(eventually([&] { return agent_status(*viewer_agent)["enrollment"]["last_error"].is_string(); }));
  EXPECT_NE(agent_status(*viewer_agent)["enrollment"]["last_error"].get<std::string>().find("403"), std::string::npos);
}
