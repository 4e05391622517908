#pragma once
// Role names as users type them and as the tables keep them, and which listen addresses count as loopback.
#include <string>

#include "http/access.hpp"

namespace edgeml::controller {

// viewer | operator | admin, and "device" for enrollment tokens (they may enroll an agent, nothing else). Throws
// FieldError(field) naming the accepted names.
http::Role role_from_name(const std::string& name, const std::string& field = "role");

// 127.0.0.0/8, ::1, localhost: only processes of this machine can connect.
bool is_loopback_host(const std::string& host);

}  // namespace edgeml::controller
