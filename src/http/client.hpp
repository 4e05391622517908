#pragma once
// The one HTTP client of the project (libcurl underneath): the controller calling agents and Balena, the agent pulling
// models, downloads, webhooks. Header values are validated (no CR/LF/NUL), so a value a user typed — a device token —
// can never inject a header. A Client keeps its connection between requests (keep-alive); use one per thread.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/headers.hpp"

namespace edgeml::http {

struct TlsClientOptions {
  std::string ca_file;              // verify the server against this CA (empty: the system's CAs)
  std::string cert_file, key_file;  // client certificate, when the server asks for one
  bool verify = true;               // never false outside tests of the refusal itself
};

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http:// or https:// only
  Headers headers;
  std::string body;
  double timeout_s = 30;  // the whole exchange; 0 = no overall limit (downloads rely on stall_timeout_s)
  double connect_timeout_s = 5;
  double stall_timeout_s = 0;         // fail when under 1 byte/s for this long (0 = off)
  size_t max_body_bytes = 32u << 20;  // answers collected in memory
  std::uint64_t resume_from = 0;      // ask for bytes resume_from- (Range)
  bool follow_redirects = false;
  // Streamed answers (downloads): each chunk with the answer's status; return false to abort the transfer. When set,
  // ClientResponse::body stays empty.
  std::function<bool(int status, const char* data, size_t size)> on_body;
  std::function<void(std::uint64_t received, std::optional<std::uint64_t> total)> on_progress;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  bool aborted_by_callback = false;
};

class Client {
 public:
  explicit Client(TlsClientOptions tls = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Any HTTP status is an answer. No answer at all throws Error(upstream_timeout) on a timeout,
  // Error(upstream_failed) otherwise (refused, reset, TLS failure), with curl's reason and never a header value.
  // A body over max_body_bytes throws Error(too_large).
  ClientResponse send(const ClientRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgeml::http
