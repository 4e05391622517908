#include "wire/enum_names.hpp"

#include "common/error.hpp"

namespace edgeml::wire::detail {

void throw_unknown_name(std::string_view field, std::string_view got, std::string_view known) {
  std::string shown(got.substr(0, 64));
  throw FieldError(std::string(field),
                   "'" + std::string(field) + "' must be one of " + std::string(known) + ", got '" + shown + "'");
}

}  // namespace edgeml::wire::detail
