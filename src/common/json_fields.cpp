#include "common/json_fields.hpp"

#include <cmath>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml {

namespace {
double check_number(const nlohmann::json& v, const std::string& field, NumberRange range) {
  if (!v.is_number()) throw FieldError(field, "'" + field + "' must be a number");
  double d = v.get<double>();
  if (!std::isfinite(d)) throw FieldError(field, "'" + field + "' must be finite");
  bool below = range.min_exclusive ? d <= range.min : d < range.min;
  if (below || d > range.max) {
    std::string lo = (range.min_exclusive ? "> " : ">= ") + format_number(range.min);
    throw FieldError(
        field, "'" + field + "' must be " + lo + " and <= " + format_number(range.max) + ", got " + format_number(d));
  }
  return d;
}
}  // namespace

double require_number(const nlohmann::json& obj, const std::string& field, NumberRange range) {
  if (!obj.is_object()) throw FieldError("body", "request body must be a JSON object");
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) throw FieldError(field, "missing required field '" + field + "'");
  return check_number(*it, field, range);
}

std::optional<double> optional_number(const nlohmann::json& obj, const std::string& field, NumberRange range) {
  if (!obj.is_object()) throw FieldError("body", "request body must be a JSON object");
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return check_number(*it, field, range);
}

std::string require_string(const nlohmann::json& obj, const std::string& field, size_t max_len) {
  auto v = optional_string(obj, field, max_len);
  if (!v) throw FieldError(field, "missing required field '" + field + "'");
  return *v;
}

std::optional<std::string> optional_string(const nlohmann::json& obj, const std::string& field, size_t max_len) {
  if (!obj.is_object()) throw FieldError("body", "request body must be a JSON object");
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw FieldError(field, "'" + field + "' must be a string");
  auto s = it->get<std::string>();
  if (s.size() > max_len) throw FieldError(field, "'" + field + "' is longer than " + std::to_string(max_len));
  return s;
}

std::optional<bool> optional_bool(const nlohmann::json& obj, const std::string& field) {
  if (!obj.is_object()) throw FieldError("body", "request body must be a JSON object");
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw FieldError(field, "'" + field + "' must be true or false");
  return it->get<bool>();
}

void reject_unknown_fields(const nlohmann::json& obj, std::initializer_list<std::string_view> known,
                           const std::string& prefix) {
  if (!obj.is_object()) return;
  for (const auto& [key, value] : obj.items()) {
    bool found = false;
    for (auto k : known) found = found || k == key;
    if (found) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw FieldError(prefix + key, "unknown field '" + prefix + key + "' (known: " + list + ")");
  }
}

nlohmann::json parse_json_body(const std::string& body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for numbers like 1e400
    throw FieldError("body", std::string("malformed JSON: ") + e.what());
  }
}

}  // namespace edgeml
