#pragma once
// Shared setup for the agent's and the controller's cpp-httplib servers, and the one place where exceptions thrown
// by handlers become HTTP answers:
//   FieldError -> 400 {"error","field"}, NotFoundError -> 404, anything else -> 500 (logged), never a crash.
#include <httplib.h>

#include <functional>
#include <string>

#include "http/route_metrics.hpp"

namespace edgeml::http {

struct ServerLimits {
  size_t threads = 16;              // each keep-alive connection holds a worker while idle (cpp-httplib design)
  size_t max_body_bytes = 1 << 20;  // bodies over this get 413
  time_t keep_alive_timeout_s = 2;
  size_t keep_alive_max_count = 1000;
  time_t read_timeout_s = 10;
  time_t write_timeout_s = 30;
};

// nodelay (without it keep-alive requests take ~40 ms: Nagle + delayed ACK), thread pool, limits, JSON 404/413/500.
void configure_server(httplib::Server& server, const ServerLimits& limits, const std::string& component);

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

// Registers a route whose handler is timed into metrics (by pattern) and whose exceptions become JSON errors.
// The Router itself may be a temporary; the RouteMetrics must outlive the server.
class Router {
 public:
  Router(httplib::Server& server, RouteMetrics& metrics, std::string component)
      : server_(server), metrics_(metrics), component_(std::move(component)) {}
  void get(const std::string& pattern, Handler h);
  void post(const std::string& pattern, Handler h);
  void put(const std::string& pattern, Handler h);
  void del(const std::string& pattern, Handler h);
  // Wraps a handler without registering it (for content-reader routes registered by hand).
  Handler wrap(const std::string& method, const std::string& pattern, Handler h);

 private:
  httplib::Server& server_;
  RouteMetrics& metrics_;
  std::string component_;
};

// Runs the handler body, translating exceptions to JSON errors. Used by Router and by hand-registered routes.
void run_guarded(const std::string& component, httplib::Response& res, const std::function<void()>& body);

}  // namespace edgeml::http
