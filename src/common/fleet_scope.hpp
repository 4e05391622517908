#pragma once
// Which devices a thing applies to: one device, a group, a device type, or the whole fleet. Alert rules and reports
// share this one rule, so "group:lab" means the same in both.
#include <string>

namespace edgeml {

// What a scope is matched against: a device as the controller knows it.
struct DeviceIdentity {
  std::string name;
  std::string group;        // empty when the device belongs to no group
  std::string device_type;  // "jetson_nano", "rpi5", ...
};

struct FleetScope {
  enum class Kind { all, device, group, device_type };
  Kind kind = Kind::all;
  std::string value;  // the device name, group name or device type; empty for all

  bool matches(const DeviceIdentity& d) const;
  bool operator==(const FleetScope&) const = default;
};

const char* to_string(FleetScope::Kind kind);  // "all", "device", "group", "device_type"
// "all", "device:edge-1", "group:lab", "device_type:jetson_nano".
std::string to_string(const FleetScope& scope);
// Parses the form to_string writes. Throws FieldError(field) naming the accepted forms; values follow validate_name.
FleetScope parse_fleet_scope(const std::string& text, const std::string& field);

}  // namespace edgeml
