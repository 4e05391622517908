#pragma once
// One table per enum maps each value to the name that appears on the wire (and in the HTTP API), so a state's name is
// written once. Parsing an unknown name throws FieldError(field) listing the names this build knows.
#include <span>
#include <string>
#include <string_view>

namespace edgeml::wire {

template <class E>
struct EnumName {
  E value;
  const char* name;
};

namespace detail {
[[noreturn]] void throw_unknown_name(std::string_view field, std::string_view got, std::string_view known);
}

template <class E>
const char* name_of(std::span<const EnumName<E>> table, E value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return "?";  // unreachable while every value has a row (tests check each table)
}

template <class E>
E parse_enum(std::span<const EnumName<E>> table, std::string_view name, std::string_view field) {
  std::string known;
  for (const auto& e : table) {
    if (name == e.name) return e.value;
    known += known.empty() ? "" : " | ";
    known += e.name;
  }
  detail::throw_unknown_name(field, name, known);
}

}  // namespace edgeml::wire
