#pragma once
// Commands from the controller to one agent, on <prefix>/<device>/command (QoS 1; the broker queues them in the
// agent's persistent session while it is offline). Each has an id: the agent runs an id once (a redelivery or a replay
// is answered from its journal, see spool/command_journal.hpp), and refuses it after expires_at.
//
// Payloads keep the field names of the agent's HTTP routes (POST /deploy, POST /benchmark), so the agent hands a
// deploy payload to the same code as a POST /deploy body.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "wire/enum_names.hpp"

namespace edgeml::wire {

enum class CommandType { deploy, rollback, benchmark, config };
std::span<const EnumName<CommandType>> command_type_names();
inline const char* to_string(CommandType t) { return name_of(command_type_names(), t); }

struct DeployPayload {  // = POST /deploy {model_name, model_url, sha256, size, activate}
  std::string model_name;
  std::string model_url;  // http(s):// of the controller's artifact store; the agent pulls it with Range resume
  std::string sha256;     // lowercase hex
  std::uint64_t size = 0;
  bool activate = true;
  // Optional ("" = not given): the pixel convention overriding the model's (runtime::Convention name), and what the
  // weights are (placeholder | file), kept by the agent with the model and shown in its /status.
  std::string preprocess, weights;
  bool operator==(const DeployPayload&) const = default;
};
struct RollbackPayload {  // = POST /rollback
  bool operator==(const RollbackPayload&) const = default;
};
struct BenchmarkPayload {  // = POST /benchmark {iterations, warmup, runs}; unset = the agent's default
  std::optional<int> iterations, warmup, runs;
  bool operator==(const BenchmarkPayload&) const = default;
};
struct ConfigPayload {  // agent settings that may change at run time; unset = unchanged
  std::optional<double> telemetry_hz, infer_hz;
  bool operator==(const ConfigPayload&) const = default;
};
using CommandPayload = std::variant<DeployPayload, RollbackPayload, BenchmarkPayload, ConfigPayload>;

struct Command {
  std::string id;  // common/names rule: [A-Za-z0-9._-]{1,128}
  std::string device;
  double issued_at = 0, expires_at = 0;  // Unix seconds; expires_at > issued_at, at most kMaxCommandLifetimeS later
  CommandPayload payload;
  CommandType type() const { return static_cast<CommandType>(payload.index()); }
  bool operator==(const Command&) const = default;
};

inline constexpr double kMaxCommandLifetimeS = 30 * 86400.0;

nlohmann::json to_json(const Command& c);  // {"v":1,"id","device","type","issued_at","expires_at","payload":{...}}
std::string encode(const Command& c);
// expected_device: the receiving agent (ProtocolError wrong_device for another). Throws ProtocolError / FieldError.
Command parse_command(std::string_view payload, const std::string& expected_device);
// Validates and reads a payload of the given type (the same rules as parse_command).
CommandPayload payload_from_json(CommandType type, const nlohmann::json& payload);
nlohmann::json payload_to_json(const CommandPayload& p);

// Throws ProtocolError(expired, "expires_at") when now_s is past expires_at.
void check_not_expired(const Command& c, double now_s);

}  // namespace edgeml::wire
