#pragma once
// Query-string parameters with the same strictness as JSON fields: "max_energy=abc" is a 400 naming max_energy,
// never a silent default.
#include <optional>
#include <string>

#include "common/json_fields.hpp"
#include "http/request.hpp"

namespace edgeml::http {

std::optional<double> query_number(const Request& req, const std::string& name, NumberRange range = {});
std::optional<long long> query_int(const Request& req, const std::string& name, long long min, long long max);
std::optional<bool> query_bool(const Request& req, const std::string& name);
std::optional<std::string> query_string(const Request& req, const std::string& name, size_t max_len = 256);

// A numeric path segment (":id"): digits only, 1 to 2^53. Anything else — letters, 20 digits — names nothing that
// exists, so it is NotFoundError("<what> <segment>") (404), never a 500 from an overflowing conversion.
long long path_id(const Request& req, const std::string& name, const std::string& what);

}  // namespace edgeml::http
