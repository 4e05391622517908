#pragma once
// Pulls a model file from an http:// or https:// URL (for example the controller's /models/<file>) straight into an
// IncomingFile, chunk by chunk, with connect and read timeouts. Never follows redirects (a redirect could switch to
// another scheme or host than the one the caller approved).
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "agent/incoming_file.hpp"

namespace edgeml::agent {

struct ParsedUrl {
  std::string scheme;     // "http" | "https"
  std::string host_port;  // "host[:port]" as written
  std::string path;       // "/..." (with query), "/" when absent
};

// Throws FieldError(field) unless the URL is http(s) with a host and no credentials or spaces.
ParsedUrl parse_model_url(const std::string& url, const std::string& field = "model_url");

struct FetchOptions {
  int connect_timeout_s = 10;
  int read_timeout_s = 30;                     // longest silence between two chunks
  std::optional<std::uint64_t> expected_size;  // stop as soon as more arrives
  std::function<void(std::uint64_t received, std::optional<std::uint64_t> total)> on_progress;
};

// Streams the body into `into`. Throws Error(502) (upstream answered badly, closed early, or timed out),
// FieldError("size") when more bytes than expected arrive, and passes through IncomingFile's 507/413.
void fetch_model(const ParsedUrl& url, IncomingFile& into, const FetchOptions& options);

}  // namespace edgeml::agent
