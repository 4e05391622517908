#pragma once
// Helpers for the transport tests: waiting for a condition, collecting received messages, a TCP proxy that can
// forward, go silent (a link that drops packets) or cut every connection, and a client on its own loop.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mqtt/client.hpp"
#include "mqtt/event_loop.hpp"

namespace edgeml::mqtt::testing {

// Polls pred until true or timeout; returns pred's last value.
bool wait_until(const std::function<bool()>& pred, double timeout_s = 10);

struct Received {
  std::string topic, payload;
  bool retain = false;
};

class Inbox {
 public:
  void add(const IncomingMessage& m);
  std::vector<Received> all() const;
  std::size_t size() const;
  // Waits until at least n messages arrived.
  bool wait_for(std::size_t n, double timeout_s = 10) const;
  ClientCallbacks callbacks();  // on_message -> this inbox

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Received> messages_;
};

// Options for a test client of the broker at url.
ClientOptions test_options(const std::string& url, const std::string& client_id);

// A client with its own started loop (the common case in tests).
struct LoopedClient {
  LoopedClient(ClientOptions o, ClientCallbacks cb = {});
  ~LoopedClient();
  EventLoop loop;
  std::unique_ptr<Client> client;
  Client* operator->() { return client.get(); }
};

class TcpProxy {
 public:
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  int port() const { return port_; }
  void set_silent(bool silent);  // true: accept and hold connections but pass nothing either way
  void cut_all();                // close every open connection (as a NAT or mobile link that resets)
  std::size_t connections() const;

 private:
  void run();
  int target_port_, port_ = 0, listen_fd_ = -1;
  std::atomic<bool> stop_{false}, silent_{false}, cut_{false};
  mutable std::mutex mu_;
  std::vector<std::pair<int, int>> pairs_;
  std::thread thread_;
};

}  // namespace edgeml::mqtt::testing
