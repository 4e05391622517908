#include "controller/event_hub.hpp"

namespace edgeml::controller {

void EventHub::publish(const std::string& topic, const std::string& type, nlohmann::json data) {
  {
    std::lock_guard lock(mu_);
    auto& t = topics_[topic];
    t.events.push_back({t.next_seq++, type, std::move(data)});
    while (t.events.size() > keep_) t.events.pop_front();
  }
  cv_.notify_all();
}

void EventHub::close(const std::string& topic) {
  {
    std::lock_guard lock(mu_);
    topics_[topic].closed = true;
  }
  cv_.notify_all();
}

bool EventHub::known(const std::string& topic) {
  std::lock_guard lock(mu_);
  return topics_.count(topic) > 0;
}

void EventHub::shutdown() {
  shutdown_ = true;
  cv_.notify_all();
}

std::vector<Event> EventHub::wait_after(const std::string& topic, long long after, std::chrono::milliseconds wait,
                                        bool& closed) {
  std::unique_lock lock(mu_);
  auto ready = [&] {
    auto& t = topics_[topic];
    return shutdown_ || t.closed || (!t.events.empty() && t.events.back().seq > after);
  };
  // Waits in slices of at most 1 s, so a shutdown (which does not lock) is seen promptly.
  auto until = std::chrono::steady_clock::now() + wait;
  while (!ready() && std::chrono::steady_clock::now() < until)
    cv_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(until - std::chrono::steady_clock::now(),
                                                                     std::chrono::seconds(1)));
  auto& t = topics_[topic];
  std::vector<Event> out;
  for (const auto& e : t.events)
    if (e.seq > after) out.push_back(e);
  closed = t.closed || shutdown_;
  return out;
}

std::string to_sse(const Event& e) {
  return "event: " + e.type + "\nid: " + std::to_string(e.seq) + "\ndata: " + e.data.dump() + "\n\n";
}

}  // namespace edgeml::controller
