#pragma once
// One small HTTP GET with libcurl, for JSON APIs (Balena): status, headers and body, whatever the status is.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgeml::fetch {

struct HttpReply {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lowercased; last value wins
  std::string body;
  std::string header(const std::string& lower_name) const;
};

struct GetOptions {
  std::vector<std::string> headers;  // "Name: value"
  long timeout_s = 15;               // whole request
  long connect_timeout_s = 5;
  size_t max_body_bytes = 32u << 20;
};

// Throws std::runtime_error (the curl error text, never the headers, which may hold a token) when no answer came.
HttpReply http_get(const std::string& url, const GetOptions& options);

// %-encodes everything but unreserved characters (RFC 3986), for query values.
std::string url_encode(const std::string& s);

}  // namespace edgeml::fetch
