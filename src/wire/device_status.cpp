#include "wire/device_status.hpp"

#include <array>

#include "common/error.hpp"
#include "common/names.hpp"
#include "wire/fields.hpp"
#include "wire/payload.hpp"

namespace edgeml::wire {

namespace {
constexpr std::array<EnumName<Presence>, 2> kPresence{{{Presence::online, "online"}, {Presence::offline, "offline"}}};
constexpr std::array<EnumName<PresenceReason>, 3> kReasons{{
    {PresenceReason::connected, "connected"},
    {PresenceReason::clean_shutdown, "clean_shutdown"},
    {PresenceReason::connection_lost, "connection_lost"},
}};
}  // namespace

std::span<const EnumName<Presence>> presence_names() { return kPresence; }
std::span<const EnumName<PresenceReason>> presence_reason_names() { return kReasons; }

DeviceStatus last_will_status(const std::string& device) {
  return {device, Presence::offline, PresenceReason::connection_lost, std::nullopt, std::nullopt, std::nullopt, {}};
}

nlohmann::json to_json(const DeviceStatus& s) {
  nlohmann::json j{{"v", kWireVersion},
                   {"device", s.device},
                   {"state", to_string(s.state)},
                   {"reason", to_string(s.reason)},
                   {"at", json_or_null(s.at)},
                   {"agent_version", json_or_null(s.agent_version)},
                   {"active_model", json_or_null(s.active_model)}};
  if (s.detail) j["detail"] = *s.detail;
  return j;
}

std::string encode(const DeviceStatus& s) { return to_json(s).dump(); }

DeviceStatus parse_device_status(std::string_view payload, const std::string& topic_device) {
  auto m = parse_message(payload, kMaxStatusBytes);
  DeviceStatus s;
  s.device = require_device(m, topic_device);
  s.state = parse_enum<Presence>(kPresence, require_string(m, "state", 32), "state");
  s.reason = parse_enum<PresenceReason>(kReasons, require_string(m, "reason", 32), "reason");
  if ((s.state == Presence::online) != (s.reason == PresenceReason::connected))
    throw FieldError("reason", std::string("a device that is ") + to_string(s.state) + " cannot have reason '" +
                                   to_string(s.reason) + "'");
  s.at = optional_time(m, "at");
  s.agent_version = optional_string(m, "agent_version", 64);
  s.active_model = optional_string(m, "active_model", 128);
  if (s.active_model) validate_name(*s.active_model, "active_model");
  s.detail = optional_object(m, "detail");
  return s;
}

}  // namespace edgeml::wire
