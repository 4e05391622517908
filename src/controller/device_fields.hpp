#pragma once
// What a user may set on a registered device, read from a JSON body: POST /api/devices (registration) and
// PATCH /api/devices/<id> (only the fields present change).
//   name         [A-Za-z0-9._-], 1-128 characters, unique
//   address      host[:port] of the device's agent (port 8000 when left out)
//   device_type  a device type name (normalised as the catalog names them)
//   token        the agent's bearer token; "" clears it (the controller never shows it)
//   tags         a list of at most 16 names (sorted, duplicates dropped); [] clears them
//   group        one name, or "" / null for none
#include <nlohmann/json.hpp>

#include "store/records.hpp"

namespace edgeml::controller {

inline constexpr size_t kMaxDeviceTags = 16;

// PATCH: applies the fields present in `body` to `device`. Refuses unknown fields (a typo must not be ignored) and an
// empty change. FieldError naming the field.
store::Device apply_device_patch(store::Device device, const nlohmann::json& body);
// Registration: tags and group, when present (the other fields are read by the route, as the original API had them).
void read_device_grouping(store::Device& device, const nlohmann::json& body);
// "host" -> "host:8000"; FieldError(field) when malformed.
std::string normalize_agent_address(const std::string& address, const std::string& field);

}  // namespace edgeml::controller
