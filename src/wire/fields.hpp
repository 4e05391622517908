#pragma once
// Field readers shared by the wire messages (on top of common/json_fields): whole numbers, the version, device names,
// optional objects. Each throws FieldError / ProtocolError naming the field.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/json_fields.hpp"

namespace edgeml::wire {

// The largest whole number a JSON double carries exactly (sequence numbers, byte sizes).
inline constexpr std::uint64_t kMaxWhole = (1ull << 53);

std::uint64_t require_whole(const nlohmann::json& obj, const std::string& field, std::uint64_t min = 0,
                            std::uint64_t max = kMaxWhole);
std::optional<std::uint64_t> optional_whole(const nlohmann::json& obj, const std::string& field, std::uint64_t min = 0,
                                            std::uint64_t max = kMaxWhole);
// A device name (common/names rule); when `expected` is not empty the name must equal it (ProtocolError wrong_device).
std::string require_device(const nlohmann::json& obj, const std::string& expected = "",
                           const std::string& field = "device");
// An object or nothing; throws when present but not an object.
std::optional<nlohmann::json> optional_object(const nlohmann::json& obj, const std::string& field);
// "t"-style Unix seconds: finite, >= 0, before year 5000.
double require_time(const nlohmann::json& obj, const std::string& field);
std::optional<double> optional_time(const nlohmann::json& obj, const std::string& field);

inline nlohmann::json json_or_null(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
inline nlohmann::json json_or_null(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

}  // namespace edgeml::wire
