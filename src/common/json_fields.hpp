#pragma once
// Reading fields of a JSON request body with errors that name the field. Every number must be a JSON number (not a
// string), finite, and inside its range; nothing is silently defaulted.
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace edgeml {

struct NumberRange {
  double min = 0.0;    // inclusive
  double max = 1e300;  // inclusive
  bool min_exclusive = false;
};

// Throws FieldError(field) when missing, not a number, not finite, or out of range.
double require_number(const nlohmann::json& obj, const std::string& field, NumberRange range = {});
// nullopt when absent or null; throws like require_number otherwise.
std::optional<double> optional_number(const nlohmann::json& obj, const std::string& field, NumberRange range = {});
std::string require_string(const nlohmann::json& obj, const std::string& field, size_t max_len = 4096);
std::optional<std::string> optional_string(const nlohmann::json& obj, const std::string& field, size_t max_len = 4096);
std::optional<bool> optional_bool(const nlohmann::json& obj, const std::string& field);

// Throws FieldError(prefix + key) naming the first key of obj that is not in known, and listing the known ones, so a
// typo ("treshold") is an error rather than a silently ignored field. prefix names where obj sits ("notify[0].").
void reject_unknown_fields(const nlohmann::json& obj, std::initializer_list<std::string_view> known,
                           const std::string& prefix = "");

// Parses a request body; throws FieldError("body") with the parser's position on malformed JSON.
nlohmann::json parse_json_body(const std::string& body);

}  // namespace edgeml
