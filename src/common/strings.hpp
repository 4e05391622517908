#pragma once
// Small string helpers used across parts. Number parsing is strict: "12abc", "", "nan" and "inf" are not numbers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeml {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::vector<std::string> split_whitespace(std::string_view s);
bool contains_ci(std::string_view haystack, std::string_view needle);

// Whole-string finite decimal number, or nullopt.
std::optional<double> parse_double(std::string_view s);
// Whole-string integer in range of long long, or nullopt.
std::optional<long long> parse_int(std::string_view s);

// Fixed-point formatting without trailing zeros ("1.5", "2", "0.000123").
std::string format_number(double v, int max_decimals = 6);

// "2026-01-02T03:04:05Z": Unix seconds as UTC, ISO 8601, whole seconds (fraction dropped).
std::string format_utc(double unix_s);

}  // namespace edgeml
