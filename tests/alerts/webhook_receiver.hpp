#pragma once
// A webhook receiver on 127.0.0.1 (cpp-httplib) for the alert tests. Paths:
//   POST /hook/secret-token  200 "ok"
//   POST /flaky              503 for the first fail_first requests, then 200
//   POST /gone               404 "no such hook"
// Every request is recorded (path, Content-Type, body).
#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace edgeml::testing {

class WebhookReceiver {
 public:
  explicit WebhookReceiver(int fail_first = 0) : fail_first_(fail_first) {
    auto record = [this](const httplib::Request& req) {
      std::lock_guard lock(mu_);
      requests_.push_back({req.path, req.get_header_value("Content-Type"), req.body});
    };
    server_.Post("/hook/secret-token", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.set_content("ok", "text/plain");
    });
    server_.Post("/flaky", [this, record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      if (flaky_++ < fail_first_) {
        res.status = 503;
        res.set_content("busy, try later", "text/plain");
        return;
      }
      res.set_content("ok", "text/plain");
    });
    server_.Post("/gone", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.status = 404;
      res.set_content("no such hook\n", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  struct Received {
    std::string path, content_type, body;
  };
  std::vector<Received> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  int fail_first_;
  int flaky_ = 0;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> requests_;
};

}  // namespace edgeml::testing
