#include "wire/command.hpp"

#include <array>

#include "common/error.hpp"
#include "common/names.hpp"
#include "common/sha256.hpp"
#include "common/strings.hpp"
#include "wire/fields.hpp"
#include "wire/payload.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::wire {

namespace {
// Order = the variant's alternatives (Command::type() relies on it).
constexpr std::array<EnumName<CommandType>, 4> kTypes{{
    {CommandType::deploy, "deploy"},
    {CommandType::rollback, "rollback"},
    {CommandType::benchmark, "benchmark"},
    {CommandType::config, "config"},
}};

std::optional<int> optional_int(const nlohmann::json& p, const std::string& field, std::uint64_t min,
                                std::uint64_t max) {
  auto v = optional_whole(p, field, min, max);
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

DeployPayload deploy_from_json(const nlohmann::json& p) {
  DeployPayload d;
  d.model_name = require_string(p, "model_name", 128);
  validate_name(d.model_name, "model_name");
  d.model_url = require_string(p, "model_url", 2048);
  if (d.model_url.rfind("http://", 0) != 0 && d.model_url.rfind("https://", 0) != 0)
    throw FieldError("model_url", "'model_url' must start with http:// or https://");
  d.sha256 = require_string(p, "sha256", 64);
  if (!is_sha256_hex(d.sha256)) throw FieldError("sha256", "'sha256' must be 64 hexadecimal digits");
  d.sha256 = to_lower(d.sha256);
  d.size = require_whole(p, "size", 1, 1'000'000'000'000'000ull);
  d.activate = optional_bool(p, "activate").value_or(true);
  d.preprocess = optional_string(p, "preprocess", 32).value_or("");  // the agent checks the name it knows
  if (!d.preprocess.empty()) validate_name(d.preprocess, "preprocess");
  d.weights = optional_string(p, "weights", 32).value_or("");
  if (!d.weights.empty() && d.weights != "placeholder" && d.weights != "file")
    throw FieldError("weights", "'weights' must be placeholder or file, got '" + d.weights + "'");
  return d;
}

BenchmarkPayload benchmark_from_json(const nlohmann::json& p) {
  // Ranges of the agent's POST /benchmark (agent/benchmark_request.cpp).
  return {optional_int(p, "iterations", 1, 100000), optional_int(p, "warmup", 0, 10000),
          optional_int(p, "runs", 1, 100)};
}

ConfigPayload config_from_json(const nlohmann::json& p) {
  // Ranges of the agent's --telemetry-hz and --infer-hz (agent/agent_options.cpp).
  ConfigPayload c{optional_number(p, "telemetry_hz", {0.01, 100}), optional_number(p, "infer_hz", {0, 1000})};
  if (!c.telemetry_hz && !c.infer_hz) throw FieldError("payload", "a config command must set telemetry_hz or infer_hz");
  return c;
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
}  // namespace

std::span<const EnumName<CommandType>> command_type_names() { return kTypes; }

CommandPayload payload_from_json(CommandType type, const nlohmann::json& p) {
  if (!p.is_object()) throw FieldError("payload", "'payload' must be a JSON object");
  switch (type) {
    case CommandType::deploy:
      return deploy_from_json(p);
    case CommandType::rollback:
      return RollbackPayload{};
    case CommandType::benchmark:
      return benchmark_from_json(p);
    case CommandType::config:
      return config_from_json(p);
  }
  throw FieldError("type", "unknown command type");
}

nlohmann::json payload_to_json(const CommandPayload& payload) {
  auto put = [](nlohmann::json& j, const char* k, const auto& v) {
    if (v) j[k] = *v;
  };
  return std::visit(Overloaded{
                        [](const DeployPayload& d) {
                          nlohmann::json j{{"model_name", d.model_name},
                                           {"model_url", d.model_url},
                                           {"sha256", d.sha256},
                                           {"size", d.size},
                                           {"activate", d.activate}};
                          if (!d.preprocess.empty()) j["preprocess"] = d.preprocess;
                          if (!d.weights.empty()) j["weights"] = d.weights;
                          return j;
                        },
                        [](const RollbackPayload&) { return nlohmann::json::object(); },
                        [&](const BenchmarkPayload& b) {
                          auto j = nlohmann::json::object();
                          put(j, "iterations", b.iterations);
                          put(j, "warmup", b.warmup);
                          put(j, "runs", b.runs);
                          return j;
                        },
                        [&](const ConfigPayload& c) {
                          auto j = nlohmann::json::object();
                          put(j, "telemetry_hz", c.telemetry_hz);
                          put(j, "infer_hz", c.infer_hz);
                          return j;
                        },
                    },
                    payload);
}

nlohmann::json to_json(const Command& c) {
  return {{"v", kWireVersion},
          {"id", c.id},
          {"device", c.device},
          {"type", to_string(c.type())},
          {"issued_at", c.issued_at},
          {"expires_at", c.expires_at},
          {"payload", payload_to_json(c.payload)}};
}

std::string encode(const Command& c) { return to_json(c).dump(); }

Command parse_command(std::string_view bytes, const std::string& expected_device) {
  auto m = parse_message(bytes, kMaxCommandBytes);
  Command c;
  c.id = require_string(m, "id", 128);
  validate_name(c.id, "id");
  c.device = require_device(m, expected_device);
  auto type = parse_enum<CommandType>(kTypes, require_string(m, "type", 32), "type");
  c.issued_at = require_time(m, "issued_at");
  c.expires_at = require_time(m, "expires_at");
  if (c.expires_at <= c.issued_at) throw FieldError("expires_at", "'expires_at' must be after 'issued_at'");
  if (c.expires_at - c.issued_at > kMaxCommandLifetimeS)
    throw FieldError("expires_at", "a command may live at most " + format_number(kMaxCommandLifetimeS / 86400) +
                                       " days after 'issued_at'");
  auto it = m.find("payload");
  if (it == m.end()) throw FieldError("payload", "missing required field 'payload'");
  c.payload = payload_from_json(type, *it);
  return c;
}

void check_not_expired(const Command& c, double now_s) {
  if (now_s > c.expires_at)
    throw ProtocolError(Refusal::expired, "expires_at",
                        "command " + c.id + " expired " + format_number(now_s - c.expires_at, 1) + " s ago");
}

}  // namespace edgeml::wire
