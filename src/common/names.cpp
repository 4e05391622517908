#include "common/names.hpp"

#include "common/error.hpp"

namespace edgeml {

void validate_name(const std::string& name, const std::string& field) {
  if (name.empty() || name.size() > 128) throw FieldError(field, "'" + field + "' must be 1 to 128 characters");
  for (char c : name) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) throw FieldError(field, "'" + field + "' may contain only letters, digits, '.', '_' and '-'");
  }
  if (name.front() == '.' || name.find("..") != std::string::npos)
    throw FieldError(field, "'" + field + "' must not start with '.' or contain '..'");
}

}  // namespace edgeml
