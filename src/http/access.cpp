#include "http/access.hpp"

#include "common/error.hpp"

namespace edgeml::http {

const char* to_string(Role role) {
  switch (role) {
    case Role::anyone:
      return "anyone";
    case Role::viewer:
      return "viewer";
    case Role::operator_:
      return "operator";
    case Role::admin:
      return "admin";
    case Role::device:
      return "device";
  }
  return "anyone";
}

Role role_from_string(const std::string& s, const std::string& field) {
  if (s == "viewer") return Role::viewer;
  if (s == "operator") return Role::operator_;
  if (s == "admin") return Role::admin;
  throw FieldError(field, field + " must be viewer, operator or admin, got '" + s + "'");
}

bool allows(Role need, const Identity& who) {
  if (need == Role::anyone) return true;
  if (!who.authenticated) return false;
  if (need == Role::device) return who.role == Role::device || who.role == Role::operator_ || who.role == Role::admin;
  if (who.role == Role::device) return false;
  return static_cast<int>(who.role) >= static_cast<int>(need);
}

}  // namespace edgeml::http
