#pragma once
// Events published by the deployer and the telemetry poller, read by server-sent-event streams. Each topic keeps its
// last events in order with increasing sequence numbers. Readers either subscribe (a callback per new event, no
// thread held: what the event streams use) or wait for events after the last one they saw. A topic can be closed (a
// finished deployment): readers then stop after the last event; closed topics are forgotten after a minute, so the
// hub's memory stays bounded by the open topics.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace edgeml::controller {

struct Event {
  long long seq = 0;
  std::string type;  // SSE "event:" name
  nlohmann::json data;
};

class EventHub {
 public:
  explicit EventHub(size_t keep_per_topic = 4096) : keep_(keep_per_topic) {}
  void publish(const std::string& topic, const std::string& type, nlohmann::json data);
  // Topics starting with `prefix` keep only their last `n` events (a device's telemetry needs 1, not thousands).
  void retain(const std::string& prefix, size_t n);
  void close(const std::string& topic);
  // Events with seq > after, waiting up to `wait` for at least one. `closed` tells the reader to stop once drained.
  std::vector<Event> wait_after(const std::string& topic, long long after, std::chrono::milliseconds wait,
                                bool& closed);
  bool known(const std::string& topic);

  // Calls `deliver` for each event published on `topic` from now on (after the retained ones when `replay`), and
  // once with nullptr when the topic closes or the hub shuts down. `deliver` returns false to stop (the reader is
  // gone). It runs on the publisher's thread under the hub's lock: it must only queue. Returns a handle for
  // unsubscribe().
  using Deliver = std::function<bool(const Event*)>;
  long long subscribe(const std::string& topic, bool replay, Deliver deliver);
  void unsubscribe(long long handle);
  // Ends every stream (shutdown). Takes no lock, so a signal handler may call it.
  void shutdown();

 private:
  struct Topic {
    std::deque<Event> events;
    long long next_seq = 1;
    bool closed = false;
    double closed_at = 0;
    std::map<long long, Deliver> subscribers;
  };
  void forget_old_closed_locked();
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Topic> topics_;
  size_t keep_;
  std::vector<std::pair<std::string, size_t>> retention_;
  std::atomic<bool> shutdown_{false};
  long long next_handle_ = 1;
  std::map<long long, std::string> handle_topics_;
};

// "event: <type>\nid: <seq>\ndata: <json>\n\n"
std::string to_sse(const Event& e);

}  // namespace edgeml::controller
