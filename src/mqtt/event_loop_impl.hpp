#pragma once
// Internal: the EventLoop's state, shared with client.cpp (a publish on another thread asks the loop to write).
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "mqtt/client_impl.hpp"
#include "mqtt/event_loop.hpp"

namespace edgeml::mqtt {

struct EventLoop::Impl {
  explicit Impl(const Clock* c);
  ~Impl();
  void run();
  void wake();
  bool in_loop_thread() const { return loop_thread.load() == std::this_thread::get_id(); }
  // A client has something to write (a publish from any thread): the loop writes it at its next turn.
  void request_flush(Client::Impl* c);
  void take_pending(double now);
  // Runs fn on the loop thread and waits (directly when on the loop thread or when the loop is not running).
  void run_sync(const std::function<void()>& fn);

  SystemClock own_clock;
  const Clock& clock;
  int epfd = -1, wakefd = -1;
  std::vector<Client::Impl*> clients;  // loop thread (or stopped)
  std::vector<Client::Impl*> flush_local;

  std::mutex mu;  // guards what follows
  std::vector<Client::Impl*> pending_add;
  std::vector<Client::Impl*> flush_remote;
  std::vector<std::function<void()>> tasks;

  std::atomic<bool> stopping{false};
  std::atomic<bool> running{false};  // the thread exists (read from any thread; `thread` itself is not)
  std::atomic<std::thread::id> loop_thread{};
  std::thread thread;
  double tick_period_s = 0;
  std::function<void(double)> ticker;
  double next_tick_s = 0, next_sweep_s = 0;
};

}  // namespace edgeml::mqtt
