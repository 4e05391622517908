#pragma once
// Drives any number of Clients on one thread with libmosquitto's non-threaded calls (mosquitto_loop_read, _write,
// _misc) over epoll: one thread holds thousands of connections (the fleet simulator runs a few of these). Each client
// keeps its own connection, client id, keep-alive and reconnect backoff.
//
// Cost per client (libmosquitto 2.0): 3 file descriptors (the socket and a socketpair libmosquitto creates for its own
// select loop), and up to ~210 KB of kernel buffer: libmosquitto writes one wake-up byte into that socketpair per
// queued packet, which only its own loop drains, so with this API it fills to the kernel's limit and stays there.
#include <functional>
#include <memory>
#include <thread>

#include "common/clock.hpp"

namespace edgeml::mqtt {

class Client;

class EventLoop {
 public:
  explicit EventLoop(const Clock* clock = nullptr);
  ~EventLoop();  // stop(), then every client is detached (left as it is: close clients first for a clean shutdown)
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Thread-safe. The loop starts connecting the client at its next turn. A client belongs to one loop at a time.
  void add(Client& client);
  // Thread-safe; when it returns the loop no longer touches the client (its socket stays as it is).
  void remove(Client& client);

  void start();  // runs the loop on its own thread
  void stop();   // joins the thread
  bool running() const;
  bool in_loop_thread() const;

  // Runs fn on the loop thread and waits for it (runs it directly when called on the loop thread or when stopped).
  void run_sync(const std::function<void()>& fn);
  // A function called on the loop thread about every period_s (set before start): the simulator makes samples there.
  void set_ticker(double period_s, std::function<void(double now_s)> fn);

  struct Impl;

 private:
  friend class Client;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgeml::mqtt
