#pragma once
// Internal: the state of one Client, shared by client.cpp and event_loop.cpp. Fields marked "loop" are touched only
// on the loop thread (or with the loop stopped); the others are guarded as noted.
#include <mosquitto.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "mqtt/backoff.hpp"
#include "mqtt/client.hpp"
#include "mqtt/event_loop.hpp"

namespace edgeml::mqtt {

struct Client::Impl {
  Impl(ClientOptions o, ClientCallbacks cb, const Clock* clock);
  ~Impl();

  // Any thread.
  bool publish(std::string_view topic, std::string_view payload, int qos, bool retain, std::uint64_t tag,
               int* mid_out = nullptr);

  // Loop thread.
  void attach(EventLoop::Impl* loop, int epfd);
  void detach();
  void service(double now);  // connect when due, keep-alive, CONNACK timeout
  void on_events(std::uint32_t events, double now);
  void after_io(double now);  // write what is queued, deliver acks, notice a closed socket, update epoll
  void close_now();           // DISCONNECT and no more reconnects

  // libmosquitto callbacks (loop thread, inside mosquitto_loop_read).
  void handle_connack(int rc, int flags);
  void handle_puback(int mid, int reason_code);
  void handle_message(const mosquitto_message* msg);
  void handle_suback(int count, const int* granted);

  enum class Phase { idle, connecting, connected, waiting, closed };

  ClientOptions opt;
  ClientCallbacks cb;
  SystemClock own_clock;
  const Clock& clock;
  ClientCounters counters;
  mosquitto* mosq = nullptr;
  mosquitto_property* connect_props = nullptr;

  std::atomic<EventLoop::Impl*> loop{nullptr};
  std::atomic<bool> is_connected{false};
  std::atomic<bool> flush_queued{false};  // in the loop's flush list

  // loop
  int epfd = -1;
  Phase phase = Phase::idle;
  Backoff backoff;
  double next_attempt_s = 0, attempt_started_s = 0, next_misc_s = 0, hold_until_s = 0;
  int registered_fd = -1;
  bool registered_out = false;
  bool refused_in_attempt = false;
  std::string refusal;
  std::string disconnect_reason;  // set by libmosquitto's disconnect callback
  bool down_logged = false;
  bool properties_registered = false;
  std::vector<int> acked_mids, refused_mids;

  // guarded by pub_mu
  mutable std::mutex pub_mu;
  std::unordered_map<int, std::uint64_t> inflight;  // mid -> caller's tag
  int farewell_mid = -1;
  bool farewell_acked = false;
  std::condition_variable farewell_cv;

 private:
  void attempt(double now);
  void retry_later(double now, const std::string& why);
  void sync_epoll();
  void dispatch_acks();
  void notify(const ConnectionEvent& e);
};

}  // namespace edgeml::mqtt
