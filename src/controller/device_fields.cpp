#include "controller/device_fields.hpp"

#include <set>

#include "catalog/device_profile.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/names.hpp"
#include "controller/agent_client.hpp"
#include "http/headers.hpp"
#include "store/devices.hpp"

namespace edgeml::controller {

namespace {

std::string read_tags(const nlohmann::json& body) {
  const auto& tags = body.at("tags");
  if (!tags.is_array()) throw FieldError("tags", "tags must be a list of names, e.g. [\"lab\", \"camera\"]");
  if (tags.size() > kMaxDeviceTags)
    throw FieldError(
        "tags", "at most " + std::to_string(kMaxDeviceTags) + " tags per device, got " + std::to_string(tags.size()));
  std::vector<std::string> out;
  for (size_t i = 0; i < tags.size(); ++i) {
    std::string field = "tags[" + std::to_string(i) + "]";
    if (!tags[i].is_string()) throw FieldError(field, field + " must be a string");
    validate_name(tags[i].get<std::string>(), field);
    out.push_back(tags[i].get<std::string>());
  }
  return store::join_tags(out);
}

std::string read_group(const nlohmann::json& body) {
  const auto& g = body.at("group");
  if (g.is_null()) return "";
  if (!g.is_string()) throw FieldError("group", "group must be a name, or null for none");
  std::string name = g.get<std::string>();
  if (!name.empty()) validate_name(name, "group");
  return name;
}

}  // namespace

std::string normalize_agent_address(const std::string& address, const std::string& field) {
  if (address.empty()) throw FieldError(field, field + " (host:port of the device's agent) must not be empty");
  std::string full = address.find(':') == std::string::npos ? address + ":8000" : address;
  split_address(full, field);
  return full;
}

void read_device_grouping(store::Device& device, const nlohmann::json& body) {
  if (body.contains("tags")) device.tags = read_tags(body);
  if (body.contains("group")) device.group_name = read_group(body);
}

store::Device apply_device_patch(store::Device device, const nlohmann::json& body) {
  if (!body.is_object())
    throw FieldError("body", "expected a JSON object with some of: name, address, device_type, token, tags, group");
  static const std::set<std::string> known{"name", "address", "device_type", "token", "tags", "group"};
  for (const auto& [key, value] : body.items())
    if (!known.count(key))
      throw FieldError(key,
                       "unknown field '" + key + "' (a device has name, address, device_type, token, tags, group)");
  if (body.empty())
    throw FieldError("body", "nothing to change: give name, address, device_type, token, tags or group");
  if (body.contains("name")) {
    device.name = require_string(body, "name", 128);
    validate_name(device.name, "name");
  }
  if (body.contains("address"))
    device.address = normalize_agent_address(require_string(body, "address", 255), "address");
  if (body.contains("device_type")) {
    device.device_type = catalog::normalize_device_type(require_string(body, "device_type", 64));
    if (device.device_type.empty()) throw FieldError("device_type", "device_type must not be empty");
  }
  if (body.contains("token")) {
    device.token = require_string(body, "token", 512);
    http::require_header_safe(device.token, "token");
  }
  read_device_grouping(device, body);
  return device;
}

}  // namespace edgeml::controller
