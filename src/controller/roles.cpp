#include "controller/roles.hpp"

#include "common/error.hpp"

namespace edgeml::controller {

http::Role role_from_name(const std::string& name, const std::string& field) {
  if (name == "device") return http::Role::device;
  try {
    return http::role_from_string(name, field);
  } catch (const FieldError&) {
    throw FieldError(field, field + " must be viewer, operator, admin or device (an enrollment token), got '" +
                                name.substr(0, 32) + "'");
  }
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace edgeml::controller
