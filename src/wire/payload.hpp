#pragma once
// Turning received bytes into a message object: a size limit checked before parsing (a broker or a bad client can
// send anything), strict JSON, an object, and the version this build reads.
//
// Versioning: every message carries "v". A receiver reads only kWireVersion and refuses others (Refusal
// unknown_version). Adding an optional field keeps the version (receivers ignore fields they do not know); removing a
// field, changing its unit or meaning bumps it.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace edgeml::wire {

inline constexpr int kWireVersion = 1;

// Limits per message type (bytes of the MQTT payload). A batch of 100 samples with their full detail object
// (~3 KB each, the agent's /telemetry answer) fits the telemetry limit with room to spare.
inline constexpr std::size_t kMaxTelemetryBytes = 512 * 1024;
inline constexpr std::size_t kMaxSamplesPerBatch = 1000;
inline constexpr std::size_t kMaxCommandBytes = 64 * 1024;
inline constexpr std::size_t kMaxEventBytes = 64 * 1024;
inline constexpr std::size_t kMaxStatusBytes = 16 * 1024;

// Throws ProtocolError(oversized, "payload") over max_bytes, FieldError("payload") for malformed JSON or a non-object,
// ProtocolError(unknown_version, "v") for a version other than kWireVersion.
nlohmann::json parse_message(std::string_view bytes, std::size_t max_bytes);

// Reads "v" of an already parsed message (same errors as above).
void check_version(const nlohmann::json& message);

}  // namespace edgeml::wire
