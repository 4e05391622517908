// Broker URLs, credentials from the environment or a file, option checks and the reconnect backoff.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/error.hpp"
#include "mqtt/backoff.hpp"
#include "mqtt/broker_url.hpp"
#include "mqtt/client_options.hpp"
#include "mqtt/credentials.hpp"

namespace edgeml::mqtt {
namespace {

TEST(MqttUrl, ParsesPlainTlsAndIpv6) {
  auto a = parse_broker_url("mqtt://broker.lan");
  EXPECT_FALSE(a.tls);
  EXPECT_EQ(a.host, "broker.lan");
  EXPECT_EQ(a.port, 1883);
  auto b = parse_broker_url("mqtts://10.0.0.5:8884/");
  EXPECT_TRUE(b.tls);
  EXPECT_EQ(b.port, 8884);
  EXPECT_EQ(parse_broker_url("mqtts://iot.example.com").port, 8883);
  auto c = parse_broker_url("mqtt://[::1]:1884");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.to_string(), "mqtt://[::1]:1884");
}

TEST(MqttUrl, RefusesWhatIsNotABrokerAddress) {
  for (std::string bad : {"http://broker", "broker:1883", "mqtt://", "mqtt://:1883", "mqtt://h:0", "mqtt://h:65536",
                          "mqtt://h:x", "mqtt://user:pw@h", "mqtt://h/topic", "mqtt://h?x=1", "mqtt://h b",
                          "mqtt://h:", "mqtt://[::1", "mqtt://[::1]x"}) {
    try {
      parse_broker_url(bad, "--mqtt");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const FieldError& e) {
      EXPECT_EQ(e.field(), "--mqtt") << bad;
    }
  }
}

struct Env {
  std::map<std::string, std::string> vars;
  Getenv getenv() {
    return [this](const char* k) -> const char* {
      auto it = vars.find(k);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

TEST(MqttCredentials, FromEnvironmentOrFile) {
  Env env;
  EXPECT_TRUE(credentials_from_env(env.getenv()).username.empty());
  env.vars = {{"EDGEML_MQTT_USERNAME", "nano-1"}, {"EDGEML_MQTT_PASSWORD", "s3cret"}};
  auto c = credentials_from_env(env.getenv());
  EXPECT_EQ(c.username, "nano-1");
  EXPECT_EQ(c.password, "s3cret");

  auto file = std::filesystem::temp_directory_path() / ("edgeml-mqtt-pw-" + std::to_string(::getpid()));
  std::ofstream(file) << "from-file\n";
  env.vars = {{"EDGEML_MQTT_USERNAME", "nano-1"}, {"EDGEML_MQTT_PASSWORD_FILE", file.string()}};
  EXPECT_EQ(credentials_from_env(env.getenv()).password, "from-file");

  auto refused = [&](const std::string& field) {
    try {
      credentials_from_env(env.getenv());
      ADD_FAILURE() << "accepted";
    } catch (const FieldError& e) {
      EXPECT_EQ(e.field(), field);
    }
  };
  env.vars["EDGEML_MQTT_PASSWORD"] = "both";
  refused("EDGEML_MQTT_PASSWORD_FILE");
  env.vars = {{"EDGEML_MQTT_PASSWORD", "no user"}};
  refused("EDGEML_MQTT_USERNAME");
  env.vars = {{"EDGEML_MQTT_USERNAME", "u"}, {"EDGEML_MQTT_PASSWORD_FILE", "/nonexistent/pw"}};
  refused("EDGEML_MQTT_PASSWORD_FILE");
  std::ofstream(file, std::ios::trunc) << "\n";
  env.vars = {{"EDGEML_MQTT_USERNAME", "u"}, {"EDGEML_MQTT_PASSWORD_FILE", file.string()}};
  refused("EDGEML_MQTT_PASSWORD_FILE");
  std::filesystem::remove(file);
}

TEST(MqttOptions, ChecksEveryOption) {
  ClientOptions o;
  o.broker = parse_broker_url("mqtt://127.0.0.1");
  o.client_id = "nano-1";
  EXPECT_NO_THROW(check_options(o));
  auto refused = [&](ClientOptions bad, const std::string& field) {
    try {
      check_options(bad);
      ADD_FAILURE() << field << " accepted";
    } catch (const FieldError& e) {
      EXPECT_EQ(e.field(), field);
    }
  };
  auto b = o;
  b.client_id = "a/b";
  refused(b, "client_id");
  b = o;
  b.keepalive_s = 2;
  refused(b, "keepalive_s");
  b = o;
  b.reconnect_max_s = 0.1;
  refused(b, "reconnect_min_s");
  b = o;
  b.will = OutgoingMessage{"edgeml/+/status", "x", 1, true};
  refused(b, "will.topic");
  b = o;
  b.broker.tls = true;
  b.tls.cert_file = "/etc/hostname";  // readable, but no key
  refused(b, "key_file");
  b.tls = {"/nonexistent/ca.pem", "", ""};
  refused(b, "ca_file");
}

TEST(MqttBackoff, DoublesWithJitterUpToTheCapAndResets) {
  Backoff b(0.5, 4, 42);
  double steps[] = {0.5, 1, 2, 4, 4, 4};
  for (double step : steps) {
    double d = b.next_delay_s();
    EXPECT_DOUBLE_EQ(b.current_step_s(), step);
    EXPECT_GE(d, step * 0.5);
    EXPECT_LE(d, step);
  }
  b.reset();
  EXPECT_LE(b.next_delay_s(), 0.5);
  // Same seed, same delays (a device's reconnects are reproducible); other seeds spread out.
  Backoff x(0.5, 30, 7), y(0.5, 30, 7), z(0.5, 30, 8);
  double dx = x.next_delay_s();
  EXPECT_DOUBLE_EQ(dx, y.next_delay_s());
  EXPECT_NE(dx, z.next_delay_s());
}

}  // namespace
}  // namespace edgeml::mqtt
