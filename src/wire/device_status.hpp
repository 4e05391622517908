#pragma once
// A device's presence, published retained on <prefix>/<device>/status so a controller that subscribes late still
// learns the current state. The agent publishes "online" after each connect and "offline, clean_shutdown" before a
// clean disconnect; the broker publishes the last will ("offline, connection_lost") when the agent vanishes (within
// 1.5 x keep-alive).
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wire/enum_names.hpp"

namespace edgeml::wire {

enum class Presence { online, offline };
enum class PresenceReason { connected, clean_shutdown, connection_lost };
std::span<const EnumName<Presence>> presence_names();
std::span<const EnumName<PresenceReason>> presence_reason_names();
inline const char* to_string(Presence p) { return name_of(presence_names(), p); }
inline const char* to_string(PresenceReason r) { return name_of(presence_reason_names(), r); }

struct DeviceStatus {
  std::string device;
  Presence state = Presence::online;
  PresenceReason reason = PresenceReason::connected;
  std::optional<double> at;  // Unix seconds; null in the last will (written at connect, sent later by the broker)
  std::optional<std::string> agent_version, active_model;
  std::optional<nlohmann::json> detail;  // an object
  bool operator==(const DeviceStatus&) const = default;
};

// The last will an agent registers at connect.
DeviceStatus last_will_status(const std::string& device);

nlohmann::json to_json(const DeviceStatus& s);
std::string encode(const DeviceStatus& s);
// Rules: online goes with connected, offline with clean_shutdown or connection_lost (FieldError("reason") otherwise).
DeviceStatus parse_device_status(std::string_view payload, const std::string& topic_device = "");

}  // namespace edgeml::wire
