// Device status, commands and events: round trips, the rules between fields, and refusals.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "wire/command.hpp"
#include "wire/device_status.hpp"
#include "wire/event.hpp"
#include "wire/payload.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::wire {
namespace {

constexpr double kNow = 1'700'000'000.0;
const std::string kSha(64, 'a');

template <class F>
void expect_refused(F f, Refusal reason, const std::string& field) {
  try {
    f();
    FAIL() << "no refusal, expected " << to_string(reason) << " on " << field;
  } catch (const Error& e) {
    EXPECT_EQ(refusal_of(e), reason) << e.what();
    EXPECT_EQ(e.field(), field) << e.what();
  }
}

Command deploy_command() {
  return {"deploy-42", "nano-1", kNow, kNow + 600,
          DeployPayload{"resnet18", "http://10.0.0.2:5000/models/resnet18.onnx", kSha, 46'827'520, true}};
}

TEST(WireStatus, RoundTripAndLastWill) {
  DeviceStatus s{"nano-1", Presence::online, PresenceReason::connected,          kNow,
                 "0.1.0",  "resnet18",       nlohmann::json{{"telemetry_hz", 1}}};
  EXPECT_EQ(parse_device_status(encode(s), "nano-1"), s);
  auto will = parse_device_status(encode(last_will_status("nano-1")), "nano-1");
  EXPECT_EQ(will.state, Presence::offline);
  EXPECT_EQ(will.reason, PresenceReason::connection_lost);
  EXPECT_FALSE(will.at.has_value());
  auto j = to_json(s);
  EXPECT_EQ(j["state"], "online");
  EXPECT_EQ(j["reason"], "connected");
}

TEST(WireStatus, RefusesContradictionsAndUnknownNames) {
  auto j = to_json(last_will_status("nano-1"));
  j["state"] = "online";  // online but connection_lost
  expect_refused([&] { parse_device_status(j.dump()); }, Refusal::malformed, "reason");
  j["state"] = "sleeping";
  expect_refused([&] { parse_device_status(j.dump()); }, Refusal::malformed, "state");
  expect_refused([&] { parse_device_status(encode(last_will_status("nano-1")), "nano-2"); }, Refusal::wrong_device,
                 "device");
}

TEST(WireCommand, EveryTypeRoundTrips) {
  std::vector<Command> all{deploy_command(),
                           {"rb-1", "nano-1", kNow, kNow + 60, RollbackPayload{}},
                           {"bench-1", "nano-1", kNow, kNow + 60, BenchmarkPayload{100, 10, std::nullopt}},
                           {"cfg-1", "nano-1", kNow, kNow + 60, ConfigPayload{2.0, std::nullopt}}};
  const char* names[] = {"deploy", "rollback", "benchmark", "config"};
  for (size_t i = 0; i < all.size(); ++i) {
    auto text = encode(all[i]);
    EXPECT_EQ(parse_command(text, "nano-1"), all[i]) << text;
    EXPECT_EQ(nlohmann::json::parse(text)["type"], names[i]);
    EXPECT_STREQ(to_string(all[i].type()), names[i]);
  }
}

TEST(WireCommand, DeployPayloadHasThePostDeployFieldNames) {
  auto p = nlohmann::json::parse(encode(deploy_command()))["payload"];
  for (const char* f : {"model_name", "model_url", "sha256", "size", "activate"}) EXPECT_TRUE(p.contains(f)) << f;
  EXPECT_EQ(p["size"], 46'827'520);
}

// An MQTT deploy carries what a LAN POST /deploy carries: the pixel convention and what the weights are. Absent, they
// are not written (an older agent reads the same payload as before).
TEST(WireCommand, DeployPayloadCarriesPreprocessAndWeights) {
  auto plain = nlohmann::json::parse(encode(deploy_command()))["payload"];
  EXPECT_FALSE(plain.contains("preprocess"));
  EXPECT_FALSE(plain.contains("weights"));
  auto c = deploy_command();
  auto& d = std::get<DeployPayload>(c.payload);
  d.preprocess = "imagenet_rgb";
  d.weights = "placeholder";
  auto text = encode(c);
  EXPECT_EQ(nlohmann::json::parse(text)["payload"]["weights"], "placeholder");
  EXPECT_EQ(parse_command(text, "nano-1"), c) << text;
  auto j = to_json(c);
  j["payload"]["weights"] = "random";
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "weights");
  j = to_json(c);
  j["payload"]["preprocess"] = "../x";
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "preprocess");
}

TEST(WireCommand, RefusesAnotherDeviceBadFieldsAndExpiry) {
  auto text = encode(deploy_command());
  expect_refused([&] { parse_command(text, "pi-7"); }, Refusal::wrong_device, "device");

  auto j = to_json(deploy_command());
  j["payload"]["sha256"] = "xyz";
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "sha256");
  j = to_json(deploy_command());
  j["payload"]["model_url"] = "file:///etc/passwd";
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "model_url");
  j = to_json(deploy_command());
  j["payload"]["size"] = 0;
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "size");
  j = to_json(deploy_command());
  j["type"] = "format_disk";
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "type");
  j = to_json(deploy_command());
  j["id"] = "a b";
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "id");
  j = to_json(deploy_command());
  j["expires_at"] = kNow - 1;
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "expires_at");
  j["expires_at"] = kNow + kMaxCommandLifetimeS + 1;
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "expires_at");
  j = to_json(deploy_command());
  j.erase("payload");
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "payload");
  j = to_json(deploy_command());
  j["type"] = "config";
  j["payload"] = nlohmann::json::object();  // a config that changes nothing
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "payload");
  j["payload"] = {{"telemetry_hz", 500}};
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::malformed, "telemetry_hz");
  j = to_json(deploy_command());
  j["v"] = 7;
  expect_refused([&] { parse_command(j.dump(), "nano-1"); }, Refusal::unknown_version, "v");
  expect_refused([&] { parse_command(std::string(kMaxCommandBytes + 1, 'x'), "nano-1"); }, Refusal::oversized,
                 "payload");

  auto c = deploy_command();
  EXPECT_NO_THROW(check_not_expired(c, c.expires_at));
  expect_refused([&] { check_not_expired(c, c.expires_at + 0.5); }, Refusal::expired, "expires_at");
}

TEST(WireEvent, RoundTripAndRules) {
  Event progress{"nano-1", "deploy-42", EventKind::progress, kNow, DeployStep::transfer, AgentJobState::downloading,
                 1024,     4096,        std::nullopt,        "",   std::nullopt};
  EXPECT_EQ(parse_event(encode(progress), "nano-1"), progress);
  Event failed{"nano-1",
               "deploy-42",
               EventKind::failed,
               kNow,
               std::nullopt,
               std::nullopt,
               std::nullopt,
               std::nullopt,
               FailureKind::checksum,
               "sha256 of the received bytes differs",
               std::nullopt};
  auto j = to_json(failed);
  EXPECT_EQ(j["failure"], "checksum");
  EXPECT_EQ(parse_event(j.dump()), failed);

  j.erase("failure");
  expect_refused([&] { parse_event(j.dump()); }, Refusal::malformed, "failure");
  auto ok = to_json(progress);
  ok["kind"] = "succeeded";
  ok["failure"] = "timeout";
  expect_refused([&] { parse_event(ok.dump()); }, Refusal::malformed, "failure");
  auto empty_progress =
      nlohmann::json{{"v", 1}, {"device", "nano-1"}, {"command_id", "c"}, {"kind", "progress"}, {"at", kNow}};
  expect_refused([&] { parse_event(empty_progress.dump()); }, Refusal::malformed, "step");
  auto over = to_json(progress);
  over["received_bytes"] = 5000;
  expect_refused([&] { parse_event(over.dump()); }, Refusal::malformed, "received_bytes");
  auto bad_step = to_json(progress);
  bad_step["step"] = "teleport";
  expect_refused([&] { parse_event(bad_step.dump()); }, Refusal::malformed, "step");
  EXPECT_TRUE(is_final(EventKind::failed));
  EXPECT_FALSE(is_final(EventKind::progress));
}

}  // namespace
}  // namespace edgeml::wire
