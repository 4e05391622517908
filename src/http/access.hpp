#pragma once
// Who is asking, and what a route requires. Roles are ordered for people (viewer < operator < admin); devices are a
// kind of their own: a device may reach the routes meant for devices (pulling a model, enrolling), nothing else.
#include <string>

namespace edgeml::http {

enum class Role {
  anyone,     // no credentials needed (health, the dashboard's files, login)
  viewer,     // read
  operator_,  // deploy, rollback, upload, register
  admin,      // tokens, users, device deletion and enrollment
  device,     // an enrolled device (its own credentials)
};

const char* to_string(Role role);  // "anyone", "viewer", "operator", "admin", "device"
Role role_from_string(const std::string& s, const std::string& field = "role");  // FieldError when unknown

struct Identity {
  bool authenticated = false;
  Role role = Role::anyone;
  std::string name;    // token name, user name or device name; "anonymous" when not authenticated
  std::string method;  // "token", "session", "device", "local" (no authentication configured), "anonymous"
  long long device_id = 0;
  bool csrf_checked = true;  // false for a session request without the CSRF header (only reads are allowed then)
};

// Whether `who` may use a route that requires `need`.
bool allows(Role need, const Identity& who);

}  // namespace edgeml::http
