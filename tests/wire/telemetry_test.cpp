// Telemetry batches: round trip, and every kind of bad input refused with the field and the refusal reason.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "wire/payload.hpp"
#include "wire/protocol_error.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::wire {
namespace {

TelemetrySample sample(std::uint64_t seq) {
  TelemetrySample s;
  s.seq = seq;
  s.t = 1'700'000'000.0 + static_cast<double>(seq);
  s.cpu_usage_ratio = 0.25;
  s.memory_used_ratio = 0.5;
  s.temperature_c = 47.5;
  s.power_w = 4.2;
  s.active_model = "resnet18";
  return s;
}

TelemetryBatch batch() { return {"nano-1", "s1", {sample(1), sample(2), sample(3)}}; }

// Runs f, expects a refusal of `reason` naming `field`.
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

TEST(WireTelemetry, RoundTripKeepsEveryField) {
  auto b = batch();
  b.samples[1].detail = nlohmann::json{{"cpu", {{"cores", 4}}}};
  b.samples[2].power_w.reset();  // a device without a power source
  b.samples[0].idle_power_w = 0.8, b.samples[0].duty_cycle = 0.25, b.samples[0].energy_per_hour_mwh = 300;
  auto back = parse_telemetry_batch(encode(b), "nano-1");
  EXPECT_EQ(back, b);
  auto j = nlohmann::json::parse(encode(b));
  EXPECT_EQ(j["v"], kWireVersion);
  EXPECT_TRUE(j["samples"][2]["power_w"].is_null());  // unavailable stays explicit
  EXPECT_EQ(j["samples"][0]["temperature_c"], 47.5);
}

TEST(WireTelemetry, RefusesWrongDeviceUnknownVersionAndOversized) {
  auto text = encode(batch());
  expect_refused([&] { parse_telemetry_batch(text, "pi-7"); }, Refusal::wrong_device, "device");

  auto j = to_json(batch());
  j["v"] = 2;
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::unknown_version, "v");
  j["v"] = "1";
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::unknown_version, "v");
  j.erase("v");
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "v");

  std::string huge(kMaxTelemetryBytes + 1, ' ');
  expect_refused([&] { parse_telemetry_batch(huge); }, Refusal::oversized, "payload");

  TelemetryBatch many{"nano-1", "s1", {}};
  for (std::uint64_t i = 1; i <= kMaxSamplesPerBatch + 1; ++i) {
    TelemetrySample s;
    s.seq = i;
    s.t = 1.0;
    many.samples.push_back(s);
  }
  expect_refused([&] { parse_telemetry_batch(encode(many)); }, Refusal::oversized, "samples");
}

TEST(WireTelemetry, RefusesMalformedPayloadsNamingTheField) {
  expect_refused([] { parse_telemetry_batch("{not json"); }, Refusal::malformed, "payload");
  expect_refused([] { parse_telemetry_batch("[1,2]"); }, Refusal::malformed, "payload");
  expect_refused([] { parse_telemetry_batch(""); }, Refusal::malformed, "payload");

  auto j = to_json(batch());
  j["samples"][1]["cpu_usage_ratio"] = 1.5;
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[1].cpu_usage_ratio");
  j = to_json(batch());
  j["samples"][0]["power_w"] = "4.2";
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[0].power_w");
  j = to_json(batch());
  j["samples"][2].erase("seq");
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[2].seq");
  j = to_json(batch());
  j["samples"][2]["seq"] = 1.5;
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[2].seq");
  j = to_json(batch());
  j["samples"][2]["seq"] = 2;  // not increasing
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[2].seq");
  j = to_json(batch());
  j["samples"][0]["t"] = 1.7e12;  // milliseconds, not seconds
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[0].t");
  j = to_json(batch());
  j["samples"][0]["active_model"] = "../etc/passwd";
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[0].active_model");
  j = to_json(batch());
  j["samples"][0]["detail"] = "text";
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples[0].detail");
  j = to_json(batch());
  j["samples"] = nlohmann::json::array();
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "samples");
  j = to_json(batch());
  j["stream"] = "a/b";
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "stream");
  j = to_json(batch());
  j["device"] = "+";
  expect_refused([&] { parse_telemetry_batch(j.dump()); }, Refusal::malformed, "device");
}

TEST(WireTelemetry, HostileNestingIsRefusedWithoutCrashing) {
  // Deep nesting inside the size limit: parsed without recursion trouble, refused for what it is.
  std::string deep(200000, '[');
  deep += std::string(200000, ']');
  expect_refused([&] { parse_telemetry_batch(deep); }, Refusal::malformed, "payload");
  std::string in_version = "{\"v\":" + deep + "}";
  expect_refused([&] { parse_telemetry_batch(in_version); }, Refusal::unknown_version, "v");
}

TEST(WireTelemetry, WholeNumbersWrittenAsFloatsAreAccepted) {
  auto j = to_json(batch());
  j["samples"][0]["seq"] = 1.0;
  EXPECT_EQ(parse_telemetry_batch(j.dump()).samples[0].seq, 1u);
}

}  // namespace
}  // namespace edgeml::wire
