#pragma once
// The HTTP server both services run: event-driven (Boost.Beast over Asio, C++20 coroutines), so an idle, slow or
// streaming connection holds no thread. Connections are read and written by a few I/O threads; route handlers run on
// a worker pool (and `blocking` routes on a pool of their own), so a slow handler never stalls the reading of other
// connections. Limits that hold against hostile clients, all in ServerOptions: a deadline for the request header (a
// slowloris client is closed), an idle timeout between keep-alive requests, a per-chunk body deadline, a cap on
// connections per client address and in total (at the cap the oldest idle connection is closed), header and body
// size limits checked before reading, compressed request bodies refused (no inflation bombs), conflicting
// Content-Length refused, 411 when a body route gets no length. Optional TLS (OpenSSL through asio::ssl).
//
// Errors thrown by handlers become JSON answers in one place (http/error_status.hpp maps the kind to a status).
#include <functional>
#include <memory>
#include <string>

#include "http/route_metrics.hpp"
#include "http/router.hpp"

namespace edgeml::http {

struct ServerOptions {
  std::string component = "server";  // names the service in logs ("controller", "agent")
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port (tests)
  int io_threads = 1;
  int worker_threads = 4;     // ordinary handlers
  int blocking_threads = 16;  // handlers of routes marked blocking (each may wait minutes)
  size_t max_connections = 8192;
  size_t max_connections_per_client = 512;  // per remote address
  double header_timeout_s = 10;             // from the first byte of a request (or the accept) to its full header
  double idle_timeout_s = 30;               // keep-alive: waiting for the next request
  double body_chunk_timeout_s = 30;         // no body bytes for this long: the request is dropped
  double write_timeout_s = 60;              // per write (a client that stops reading is dropped)
  size_t max_header_bytes = 16 << 10;
  size_t max_ignored_body_bytes = 64 << 10;  // a body sent to a route that takes none
  std::string tls_cert_file, tls_key_file;   // PEM; both set = HTTPS only
};

// Decides who is asking. Returns an unauthenticated Identity when the request carries no credentials; throws
// Error(unauthorized) when it carries wrong ones. Runs on a worker thread before the route's role is checked.
using Authenticator = std::function<Identity(const Request&)>;
// After every request: for the audit log of mutating routes (who did what, with which answer).
using RequestObserver = std::function<void(const Request&, const Response&, const RouteOptions*)>;

class Server {
 public:
  Server(ServerOptions options, Router& router, RouteMetrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void set_authenticator(Authenticator auth);
  void set_observer(RequestObserver observer);
  // GET/HEAD requests that match no route (the dashboard's static files). Without one: 404 JSON.
  void set_fallback(Handler handler);

  // Binds and listens; returns the port. Throws Error(unavailable) naming host:port when it is in use (never
  // SO_REUSEPORT: a second process on the same port is refused, not given half the connections).
  int bind();
  // Serves until stop(); returns once connections are closed (or after a short grace period).
  void run();
  // Any thread (not a signal handler: use stop_on_signals()). Open streams and idle connections are closed.
  void stop();
  // SIGINT/SIGTERM stop the server (through asio, so it is safe). Call before run().
  void stop_on_signals();

  struct Stats {
    size_t open_connections = 0;
    unsigned long long accepted = 0, refused_per_client = 0, evicted_idle = 0, header_timeouts = 0;
  };
  Stats stats() const;
  // Prometheus text of the connection counters ("<component>_http_connections" ...).
  std::string prometheus_text() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgeml::http
