#pragma once
// One HTTP request as the routes see it, independent of the server library underneath (src/http/server.cpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/access.hpp"
#include "http/headers.hpp"

namespace edgeml::http {

// Where a streamed request body goes as it arrives (a model upload written to disk, never held in memory). write()
// may throw an edgeml::Error (disk full, over a limit): the server answers it and closes the connection.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void write(const char* data, size_t size) = 0;
};

struct Request {
  std::string method;                                      // "GET", "POST", ...
  std::string target;                                      // as sent: path and query, percent-encoded
  std::string raw_path;                                    // target without the query, still percent-encoded
  std::string path;                                        // decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;          // Body::json and Body::raw routes
  BodySink* sink = nullptr;  // Body::stream routes: the sink the route opened, after the body arrived
  std::optional<std::uint64_t> content_length;
  std::map<std::string, std::string> params;  // ":name" segments of the route's pattern
  std::string remote_ip;
  bool tls = false;
  Identity identity;

  // A ":name" segment of the route; throws Error(internal) when the pattern has none (a programming error).
  const std::string& param(const std::string& name) const;
  std::optional<std::string> query_value(std::string_view name) const;  // the first one
  bool has_query(std::string_view name) const { return query_value(name).has_value(); }
  std::string header(std::string_view name) const { return headers.get(name); }
  bool has_header(std::string_view name) const { return headers.has(name); }
};

// Percent-decoding of a path ('+' stays '+') or a query component ('+' is a space). nullopt on a malformed escape.
// Encoded control characters come through: whoever uses a value checks it (query_string refuses them).
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}; nullopt on a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);
std::string percent_encode(std::string_view s);  // for building URLs: everything but unreserved characters

}  // namespace edgeml::http
