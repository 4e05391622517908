#include "http/query.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"
#include "http/headers.hpp"

namespace edgeml::http {

std::optional<std::string> query_string(const Request& req, const std::string& name, size_t max_len) {
  auto found = req.query_value(name);
  if (!found) return std::nullopt;
  const std::string& v = *found;
  if (v.size() > max_len) throw FieldError(name, "'" + name + "' is longer than " + std::to_string(max_len));
  require_header_safe(v, name);  // no control characters in anything a route reads from the query
  return v;
}

std::optional<double> query_number(const Request& req, const std::string& name, NumberRange range) {
  auto s = query_string(req, name);
  if (!s || trim(*s).empty()) return std::nullopt;
  auto v = parse_double(*s);
  if (!v) throw FieldError(name, "'" + name + "' must be a finite number, got '" + *s + "'");
  bool below = range.min_exclusive ? *v <= range.min : *v < range.min;
  if (below || *v > range.max)
    throw FieldError(name, "'" + name + "' must be " + (range.min_exclusive ? "> " : ">= ") + format_number(range.min) +
                               " and <= " + format_number(range.max));
  return v;
}

std::optional<long long> query_int(const Request& req, const std::string& name, long long min, long long max) {
  auto s = query_string(req, name);
  if (!s || trim(*s).empty()) return std::nullopt;
  auto v = parse_int(*s);
  if (!v) throw FieldError(name, "'" + name + "' must be an integer, got '" + *s + "'");
  if (*v < min || *v > max)
    throw FieldError(name, "'" + name + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
  return v;
}

std::optional<bool> query_bool(const Request& req, const std::string& name) {
  auto s = query_string(req, name);
  if (!s || trim(*s).empty()) return std::nullopt;
  auto v = to_lower(trim(*s));
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  throw FieldError(name, "'" + name + "' must be true or false, got '" + *s + "'");
}

long long path_id(const Request& req, const std::string& name, const std::string& what) {
  const std::string& s = req.param(name);
  bool digits = !s.empty() && s.size() <= 16 && s.find_first_not_of("0123456789") == std::string::npos;
  long long v = digits ? std::stoll(s) : 0;
  if (!digits || v < 1 || v > (1LL << 53)) throw NotFoundError("no " + what + " '" + s.substr(0, 40) + "'", name);
  return v;
}

}  // namespace edgeml::http
