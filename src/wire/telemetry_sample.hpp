#pragma once
// One telemetry sample as it crosses the wire, and a batch of them. The fields are those the controller stores
// (controller/fleet_db.hpp TelemetrySample) with the names of its JSON answer, plus a sequence number and an optional
// detail object (the agent's full /telemetry answer). A null field is a reading the device does not have.
//
// Sequence numbers count per (device, stream) from 1: a stream is one agent spool's life (a new spool after its state
// folder was wiped starts a new stream), so a controller de-duplicates by (device, stream, seq) without ever mistaking
// a restarted device's seq 1 for a duplicate.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_fields.hpp"

namespace edgeml::wire {

struct TelemetrySample {
  std::uint64_t seq = 0;  // >= 1
  double t = 0;           // Unix seconds when the agent took the sample
  std::optional<double> cpu_usage_ratio, memory_used_ratio, storage_used_ratio;  // 0..1
  std::optional<double> temperature_c;                                           // hottest sensor
  std::optional<double> power_w;                                                 // whole board, from a real source
  std::optional<double> energy_per_inference_j;
  std::optional<double> inference_per_s, inference_latency_p50_s;  // the continuous inference loop
  // The agent's energy definitions (telemetry_service energy()): idle power between inferences, the share of time the
  // loop runs inferences, energy per hour at the current rate. energy_per_inference_j above is the gross figure.
  std::optional<double> idle_power_w, duty_cycle, energy_per_hour_mwh;
  std::optional<std::string> active_model;
  std::optional<nlohmann::json> detail;  // an object: the agent's /telemetry answer, or a simulator's note
  bool operator==(const TelemetrySample&) const = default;
};

// The numeric fields with their wire names and accepted ranges: one table for writing, reading and converting.
struct SampleNumberField {
  const char* name;
  std::optional<double> TelemetrySample::*member;
  NumberRange range;
};
std::span<const SampleNumberField> sample_number_fields();

nlohmann::json to_json(const TelemetrySample& s);
// field_prefix names the sample in errors ("samples[3]."). Throws FieldError naming the field.
TelemetrySample sample_from_json(const nlohmann::json& j, const std::string& field_prefix = "");

struct TelemetryBatch {
  std::string device;
  std::string stream;                    // [A-Za-z0-9._-], the spool's identity
  std::vector<TelemetrySample> samples;  // 1..kMaxSamplesPerBatch, seq strictly increasing
  bool operator==(const TelemetryBatch&) const = default;
};

nlohmann::json to_json(const TelemetryBatch& b);  // {"v":1,"device","stream","samples":[...]}
std::string encode(const TelemetryBatch& b);
// From the bytes of a telemetry message. topic_device (from the topic) must match the batch's device when given.
// Throws ProtocolError (oversized, unknown_version, wrong_device) or FieldError; nothing of a refused batch is kept.
TelemetryBatch parse_telemetry_batch(std::string_view payload, const std::string& topic_device = "");

}  // namespace edgeml::wire
