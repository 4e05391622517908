#include "common/fleet_scope.hpp"

#include "common/error.hpp"
#include "common/names.hpp"

namespace edgeml {

bool FleetScope::matches(const DeviceIdentity& d) const {
  switch (kind) {
    case Kind::all:
      return true;
    case Kind::device:
      return d.name == value;
    case Kind::group:
      return !d.group.empty() && d.group == value;
    case Kind::device_type:
      return !d.device_type.empty() && d.device_type == value;
  }
  return false;
}

const char* to_string(FleetScope::Kind kind) {
  switch (kind) {
    case FleetScope::Kind::all:
      return "all";
    case FleetScope::Kind::device:
      return "device";
    case FleetScope::Kind::group:
      return "group";
    case FleetScope::Kind::device_type:
      return "device_type";
  }
  return "all";
}

std::string to_string(const FleetScope& scope) {
  if (scope.kind == FleetScope::Kind::all) return "all";
  return std::string(to_string(scope.kind)) + ":" + scope.value;
}

FleetScope parse_fleet_scope(const std::string& text, const std::string& field) {
  if (text == "all") return {};
  auto colon = text.find(':');
  const std::string forms = "'all', 'device:NAME', 'group:NAME' or 'device_type:NAME'";
  if (colon == std::string::npos) throw FieldError(field, "'" + field + "' must be " + forms + ", got '" + text + "'");
  std::string kind = text.substr(0, colon), value = text.substr(colon + 1);
  FleetScope s;
  if (kind == "device")
    s.kind = FleetScope::Kind::device;
  else if (kind == "group")
    s.kind = FleetScope::Kind::group;
  else if (kind == "device_type")
    s.kind = FleetScope::Kind::device_type;
  else
    throw FieldError(field, "'" + field + "' must be " + forms + ", got kind '" + kind + "'");
  validate_name(value, field);
  s.value = value;
  return s;
}

}  // namespace edgeml
