#include "http/server.hpp"

#include <chrono>

#include "common/error.hpp"
#include "common/log.hpp"
#include "http/replies.hpp"

namespace edgeml::http {

void run_guarded(const std::string& component, httplib::Response& res, const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    reply_error(res, e);
  } catch (const std::exception& e) {
    log::error(component, std::string("internal error: ") + e.what());
    reply_error(res, 500, std::string("internal error: ") + e.what());
  }
}

void configure_server(httplib::Server& server, const ServerLimits& limits, const std::string& component) {
  server.set_tcp_nodelay(true);
  const size_t threads = limits.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(limits.max_body_bytes);
  server.set_keep_alive_timeout(limits.keep_alive_timeout_s);
  server.set_keep_alive_max_count(limits.keep_alive_max_count);
  server.set_read_timeout(limits.read_timeout_s, 0);
  server.set_write_timeout(limits.write_timeout_s, 0);
  server.set_exception_handler([component](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::error(component, "unhandled exception: " + what);
    reply_error(res, 500, "internal error: " + what);
  });
  // Errors cpp-httplib produces itself (no route, body too large) get the same JSON shape as ours.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
          reply_error(res, 404, "no such endpoint: " + req.method + " " + req.path);
        } else if (res.status == 413) {
          reply_error(res, 413, "request body is too large", "body");
        } else {
          reply_error(res, res.status, "HTTP " + std::to_string(res.status));
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
}

Handler Router::wrap(const std::string& method, const std::string& pattern, Handler h) {
  // Captures by value: a Router is a short-lived registration helper and may be gone when requests arrive.
  return [metrics = &metrics_, component = component_, method, pattern, h = std::move(h)](const httplib::Request& req,
                                                                                          httplib::Response& res) {
    auto t0 = std::chrono::steady_clock::now();
    run_guarded(component, res, [&] { h(req, res); });
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    metrics->record(method, pattern, res.status == -1 ? 200 : res.status, s);
  };
}

void Router::get(const std::string& p, Handler h) { server_.Get(p, wrap("GET", p, std::move(h))); }
void Router::post(const std::string& p, Handler h) { server_.Post(p, wrap("POST", p, std::move(h))); }
void Router::put(const std::string& p, Handler h) { server_.Put(p, wrap("PUT", p, std::move(h))); }
void Router::del(const std::string& p, Handler h) { server_.Delete(p, wrap("DELETE", p, std::move(h))); }

}  // namespace edgeml::http
