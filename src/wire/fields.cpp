#include "wire/fields.hpp"

#include "common/error.hpp"
#include "common/names.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::wire {

namespace {
constexpr double kLatestTime = 95'617'584'000.0;  // 5000-01-01: a later "time" is a unit mix-up (ms, µs)

std::uint64_t whole_value(const nlohmann::json& v, const std::string& field, std::uint64_t min, std::uint64_t max) {
  std::string range = " (" + std::to_string(min) + " to " + std::to_string(max) + ")";
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0)) {
    auto n = v.get<std::uint64_t>();
    if (n < min || n > max) throw FieldError(field, "'" + field + "' must be a whole number" + range);
    return n;
  }
  // 12.0 is a whole number written as a float; 12.5, -1, "12" are not.
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d >= 0 && d <= static_cast<double>(max) && d == static_cast<double>(static_cast<std::uint64_t>(d)) &&
        static_cast<std::uint64_t>(d) >= min)
      return static_cast<std::uint64_t>(d);
  }
  throw FieldError(field, "'" + field + "' must be a whole number" + range);
}
}  // namespace

std::uint64_t require_whole(const nlohmann::json& obj, const std::string& field, std::uint64_t min, std::uint64_t max) {
  auto v = optional_whole(obj, field, min, max);
  if (!v) throw FieldError(field, "missing required field '" + field + "'");
  return *v;
}

std::optional<std::uint64_t> optional_whole(const nlohmann::json& obj, const std::string& field, std::uint64_t min,
                                            std::uint64_t max) {
  if (!obj.is_object()) throw FieldError("payload", "a message must be a JSON object");
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  return whole_value(*it, field, min, max);
}

std::string require_device(const nlohmann::json& obj, const std::string& expected, const std::string& field) {
  std::string name = require_string(obj, field, 128);
  validate_name(name, field);
  if (!expected.empty() && name != expected)
    throw ProtocolError(Refusal::wrong_device, field,
                        "message is for device '" + name + "', this receiver is '" + expected + "'");
  return name;
}

std::optional<nlohmann::json> optional_object(const nlohmann::json& obj, const std::string& field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw FieldError(field, "'" + field + "' must be a JSON object");
  return *it;
}

double require_time(const nlohmann::json& obj, const std::string& field) {
  return require_number(obj, field, {0, kLatestTime});
}

std::optional<double> optional_time(const nlohmann::json& obj, const std::string& field) {
  return optional_number(obj, field, {0, kLatestTime});
}

}  // namespace edgeml::wire
