#pragma once
// Events published by the deployer and the telemetry poller, read by server-sent-event streams. Each topic keeps its
// last events in order with increasing sequence numbers; a reader waits for events after the last one it saw.
// A topic can be closed (a finished deployment): readers then stop after the last event.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
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
  void close(const std::string& topic);
  // Events with seq > after, waiting up to `wait` for at least one. `closed` tells the reader to stop once drained.
  std::vector<Event> wait_after(const std::string& topic, long long after, std::chrono::milliseconds wait,
                                bool& closed);
  bool known(const std::string& topic);
  // Ends every stream (shutdown). Takes no lock, so a signal handler may call it.
  void shutdown();

 private:
  struct Topic {
    std::deque<Event> events;
    long long next_seq = 1;
    bool closed = false;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Topic> topics_;
  size_t keep_;
  std::atomic<bool> shutdown_{false};
};

// "event: <type>\nid: <seq>\ndata: <json>\n\n"
std::string to_sse(const Event& e);

}  // namespace edgeml::controller
