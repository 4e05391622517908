#pragma once
// Query-string parameters with the same strictness as JSON fields: "max_energy=abc" is a 400 naming max_energy,
// never a silent default.
#include <httplib.h>

#include <optional>
#include <string>

#include "common/json_fields.hpp"

namespace edgeml::http {

std::optional<double> query_number(const httplib::Request& req, const std::string& name, NumberRange range = {});
std::optional<long long> query_int(const httplib::Request& req, const std::string& name, long long min, long long max);
std::optional<bool> query_bool(const httplib::Request& req, const std::string& name);
std::optional<std::string> query_string(const httplib::Request& req, const std::string& name, size_t max_len = 256);

}  // namespace edgeml::http
