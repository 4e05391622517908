#pragma once
// Pulls a model file from an http:// or https:// URL (for example the controller's /models/<file>) straight into an
// IncomingFile, chunk by chunk, with a connect timeout and a stall timeout. A transfer cut in the middle is resumed
// with a Range request for the rest (a few attempts, with backoff); a server that ignores the Range and sends the
// whole file again restarts the file. Never follows redirects (a redirect could switch to another scheme or host than
// the one the caller approved).
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "agent/incoming_file.hpp"
#include "http/client.hpp"

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
  int attempts = 4;                            // the first try and resumptions after a cut
  double backoff_s = 0.2;                      // doubled after each cut
  http::TlsClientOptions tls;                  // https:// model URLs: the CA that signs the controller
  std::optional<std::uint64_t> expected_size;  // stop as soon as more arrives
  std::function<void(std::uint64_t received, std::optional<std::uint64_t> total)> on_progress;
};

// Streams the body into `into`. Throws Error(upstream_failed) (answered badly, or cut more often than `attempts`),
// FieldError("size") when more bytes than expected arrive, and passes through IncomingFile's errors (disk full,
// too large). `resumed_bytes`, when given, counts bytes kept across cuts.
void fetch_model(const ParsedUrl& url, IncomingFile& into, const FetchOptions& options, std::uint64_t* resumed_bytes);
inline void fetch_model(const ParsedUrl& url, IncomingFile& into, const FetchOptions& options) {
  fetch_model(url, into, options, nullptr);
}

}  // namespace edgeml::agent
