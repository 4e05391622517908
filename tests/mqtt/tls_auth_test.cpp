// mqtts:// with a CA and a client certificate (made with the openssl command for each test), user name and password
// from a password file, per-device ACLs. Refusals are counted and the client keeps trying; nothing crashes.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "mosquitto_broker.hpp"
#include "mqtt/client.hpp"
#include "mqtt_test_support.hpp"
#include "temp_dir.hpp"

namespace edgeml::mqtt {
namespace {
using edgeml::testing::BrokerConfig;
using edgeml::testing::MosquittoBroker;
using testing::Inbox;
using testing::LoopedClient;
using testing::test_options;
using testing::wait_until;
namespace fs = std::filesystem;

using edgeml::testing::TempDir;

void run(const std::string& cmd) {
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + cmd);
}

// A CA, a broker certificate for 127.0.0.1/localhost signed by it, a client certificate (CN nano-1), and an
// unrelated CA.
void make_certificates(const TempDir& d) {
  std::string p = d.path.string() + "/";
  std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  run("openssl req -x509" + key + " -keyout " + p + "ca.key -out " + p + "ca.crt -days 2 -subj /CN=edgeml-test-ca");
  run("openssl req -x509" + key + " -keyout " + p + "other.key -out " + p + "other.crt -days 2 -subj /CN=other-ca");
  std::ofstream(d / "san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  run("openssl req" + key + " -keyout " + p + "server.key -out " + p + "server.csr -subj /CN=localhost");
  run("openssl x509 -req -in " + p + "server.csr -CA " + p + "ca.crt -CAkey " + p + "ca.key -CAcreateserial -out " + p +
      "server.crt -days 2 -extfile " + p + "san.ext");
  run("openssl req" + key + " -keyout " + p + "client.key -out " + p + "client.csr -subj /CN=nano-1");
  run("openssl x509 -req -in " + p + "client.csr -CA " + p + "ca.crt -CAkey " + p + "ca.key -CAcreateserial -out " + p +
      "client.crt -days 2");
}

TEST(MqttTls, ClientCertificateAndCaAreRequired) {
  TempDir certs;
  make_certificates(certs);
  BrokerConfig cfg;
  cfg.listener_lines = {"cafile " + (certs / "ca.crt").string(), "certfile " + (certs / "server.crt").string(),
                        "keyfile " + (certs / "server.key").string(), "require_certificate true",
                        "use_identity_as_username true"};
  MosquittoBroker broker(cfg);
  std::string url = "mqtts://127.0.0.1:" + std::to_string(broker.port());

  auto good = test_options(url, "nano-1");
  good.tls = {certs / "ca.crt", certs / "client.crt", certs / "client.key"};
  Inbox inbox;
  good.subscriptions = {{"edgeml/nano-1/command", 1}};
  LoopedClient device(good, inbox.callbacks());
  ASSERT_TRUE(wait_until([&] { return device->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(device->publish("edgeml/nano-1/command", "over TLS"));
  ASSERT_TRUE(inbox.wait_for(1));
  EXPECT_EQ(inbox.all()[0].payload, "over TLS");

  auto no_cert = test_options(url, "intruder");
  no_cert.tls = {certs / "ca.crt", "", ""};
  LoopedClient intruder(no_cert);
  auto wrong_ca = test_options(url, "nano-2");
  wrong_ca.tls = {certs / "other.crt", certs / "client.crt", certs / "client.key"};
  LoopedClient mistrusting(wrong_ca);
  ASSERT_TRUE(wait_until([&] {
    return intruder->counters().connect_failed.load() + intruder->counters().connect_refused.load() >= 2 &&
           mistrusting->counters().connect_failed.load() >= 2;
  }));
  EXPECT_FALSE(intruder->connected());
  EXPECT_FALSE(mistrusting->connected());
  EXPECT_EQ(mistrusting->counters().connects.load(), 0u);
  EXPECT_TRUE(device->connected());  // the good one is unaffected
}

TEST(MqttAuth, WrongPasswordIsRefusedCountedAndRetried) {
  TempDir d;
  auto pw = d / "passwords";
  run("mosquitto_passwd -c -b " + pw.string() + " nano-1 right-password");
  BrokerConfig cfg;
  cfg.allow_anonymous = false;
  cfg.global_lines = {"password_file " + pw.string()};
  MosquittoBroker broker(cfg);

  auto bad = test_options(broker.url(), "nano-1");
  bad.credentials = {"nano-1", "wrong-password"};
  LoopedClient refused(bad);
  auto anon = test_options(broker.url(), "anonymous");
  LoopedClient anonymous(anon);
  ASSERT_TRUE(wait_until([&] {
    return refused->counters().connect_refused.load() >= 3 && anonymous->counters().connect_refused.load() >= 3;
  }));
  EXPECT_EQ(refused->counters().connects.load(), 0u);
  EXPECT_FALSE(refused->connected());

  auto good = bad;
  good.client_id = "nano-1b";
  good.credentials.password = "right-password";
  LoopedClient ok(good);
  ASSERT_TRUE(wait_until([&] { return ok->connected(); }));
  EXPECT_EQ(ok->counters().connect_refused.load(), 0u);
}

// Per-device ACL (`pattern readwrite edgeml/%u/#`): a device may publish only under its own name. MQTT 5 tells the
// publisher (PUBACK "not authorized"): counted as refused, never reported delivered.
TEST(MqttAuth, AclRefusalsAreCountedNotDelivered) {
  TempDir d;
  auto pw = d / "passwords";
  run("mosquitto_passwd -c -b " + pw.string() + " nano-1 pw1");
  std::ofstream(d / "acl") << "pattern readwrite edgeml/%u/#\n";
  BrokerConfig cfg;
  cfg.allow_anonymous = false;
  cfg.global_lines = {"password_file " + pw.string(), "acl_file " + (d / "acl").string()};
  MosquittoBroker broker(cfg);

  std::atomic<int> delivered{0};
  ClientCallbacks cb;
  cb.on_delivered = [&](std::uint64_t) { delivered++; };
  auto o = test_options(broker.url(), "nano-1");
  o.credentials = {"nano-1", "pw1"};
  LoopedClient dev(o, cb);
  ASSERT_TRUE(wait_until([&] { return dev->connected(); }));
  ASSERT_TRUE(dev->publish("edgeml/nano-1/telemetry", "mine", 1, false, 1));
  ASSERT_TRUE(dev->publish("edgeml/nano-2/telemetry", "not mine", 1, false, 2));
  ASSERT_TRUE(wait_until([&] { return delivered.load() == 1 && dev->counters().publish_refused.load() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(delivered.load(), 1);
  EXPECT_EQ(dev->inflight(), 0u);
  EXPECT_TRUE(dev->connected());
}

}  // namespace
}  // namespace edgeml::mqtt

namespace edgeml::mqtt {
namespace {

// The broker settings shipped in deploy/mosquitto: mosquitto takes them, and the shipped ACL keeps each device in its
// own subtree while the controller reads everything and writes commands.
TEST(MqttShippedBrokerConfig, SettingsAreAcceptedAndTheAclIsolatesDevices) {
  std::string deploy = std::string(EDGEML_SOURCE_DIR) + "/deploy/mosquitto/";
  TempDir d;
  auto pw = d / "passwords";
  run("mosquitto_passwd -c -b " + pw.string() + " nano-1 pw1");
  run("mosquitto_passwd -b " + pw.string() + " nano-2 pw2");
  run("mosquitto_passwd -b " + pw.string() + " controller pwc");
  BrokerConfig cfg;
  cfg.allow_anonymous = false;
  cfg.global_lines = {"password_file " + pw.string(), "acl_file " + deploy + "acl"};
  // The site-wide settings as shipped (listener, certificates and paths are the test's own).
  std::ifstream conf(deploy + "edgeml.conf");
  for (std::string line; std::getline(conf, line);)
    for (const char* key : {"max_queued_messages ", "max_queued_bytes ", "max_inflight_messages ",
                            "persistent_client_expiration ", "max_connections ", "autosave_interval "})
      if (line.rfind(key, 0) == 0) cfg.global_lines.push_back(line);
  ASSERT_GE(cfg.global_lines.size(), 8u);
  MosquittoBroker broker(cfg);

  auto as = [&](const std::string& user, const std::string& password) {
    auto o = test_options(broker.url(), user);
    o.credentials = {user, password};
    return o;
  };
  Inbox controller_in, nano1_in, nano2_in;
  auto c = as("controller", "pwc");
  c.subscriptions = {{"edgeml/+/telemetry", 1}};
  LoopedClient controller(c, controller_in.callbacks());
  auto n1 = as("nano-1", "pw1");
  n1.subscriptions = {{"edgeml/nano-1/command", 1}};
  LoopedClient nano1(n1, nano1_in.callbacks());
  auto n2 = as("nano-2", "pw2");
  n2.subscriptions = {{"edgeml/nano-1/command", 1}, {"edgeml/+/telemetry", 1}};  // not its own: nothing arrives
  LoopedClient nano2(n2, nano2_in.callbacks());
  ASSERT_TRUE(wait_until([&] { return controller->connected() && nano1->connected() && nano2->connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  ASSERT_TRUE(nano1->publish("edgeml/nano-1/telemetry", "mine"));
  ASSERT_TRUE(nano1->publish("edgeml/nano-2/telemetry", "spoofed"));  // refused by the broker
  ASSERT_TRUE(controller->publish("edgeml/nano-1/command", "deploy"));
  ASSERT_TRUE(controller_in.wait_for(1));
  ASSERT_TRUE(nano1_in.wait_for(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(controller_in.size(), 1u);
  EXPECT_EQ(controller_in.all()[0].payload, "mine");
  EXPECT_EQ(nano1_in.all()[0].payload, "deploy");
  EXPECT_EQ(nano2_in.size(), 0u);
  EXPECT_TRUE(wait_until([&] { return nano1->counters().publish_refused.load() == 1; }));
}

}  // namespace
}  // namespace edgeml::mqtt
