#include "controller/event_hub.hpp"

namespace edgeml::controller {

namespace {
double steady_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
constexpr double kForgetClosedAfterS = 60;
}  // namespace

void EventHub::publish(const std::string& topic, const std::string& type, nlohmann::json data) {
  {
    std::lock_guard lock(mu_);
    auto& t = topics_[topic];
    t.events.push_back({t.next_seq++, type, std::move(data)});
    size_t keep = keep_;
    for (const auto& [prefix, n] : retention_)
      if (topic.rfind(prefix, 0) == 0) keep = n;
    while (t.events.size() > std::max<size_t>(keep, 1)) t.events.pop_front();
    for (auto it = t.subscribers.begin(); it != t.subscribers.end();) {
      if (it->second(&t.events.back())) {
        ++it;
      } else {
        handle_topics_.erase(it->first);
        it = t.subscribers.erase(it);
      }
    }
  }
  cv_.notify_all();
}

void EventHub::close(const std::string& topic) {
  {
    std::lock_guard lock(mu_);
    auto& t = topics_[topic];
    t.closed = true;
    t.closed_at = steady_s();
    for (auto& [handle, deliver] : t.subscribers) {
      deliver(nullptr);
      handle_topics_.erase(handle);
    }
    t.subscribers.clear();
    forget_old_closed_locked();
  }
  cv_.notify_all();
}

void EventHub::forget_old_closed_locked() {
  double now = steady_s();
  for (auto it = topics_.begin(); it != topics_.end();) {
    if (it->second.closed && now - it->second.closed_at > kForgetClosedAfterS)
      it = topics_.erase(it);
    else
      ++it;
  }
}

void EventHub::retain(const std::string& prefix, size_t n) {
  std::lock_guard lock(mu_);
  retention_.emplace_back(prefix, n);
}

long long EventHub::subscribe(const std::string& topic, bool replay, Deliver deliver) {
  std::lock_guard lock(mu_);
  auto& t = topics_[topic];
  if (replay)
    for (const auto& e : t.events)
      if (!deliver(&e)) return 0;
  if (t.closed || shutdown_) {
    deliver(nullptr);
    return 0;
  }
  long long handle = next_handle_++;
  t.subscribers[handle] = std::move(deliver);
  handle_topics_[handle] = topic;
  return handle;
}

void EventHub::unsubscribe(long long handle) {
  std::lock_guard lock(mu_);
  auto it = handle_topics_.find(handle);
  if (it == handle_topics_.end()) return;
  auto t = topics_.find(it->second);
  if (t != topics_.end()) t->second.subscribers.erase(handle);
  handle_topics_.erase(it);
}

bool EventHub::known(const std::string& topic) {
  std::lock_guard lock(mu_);
  return topics_.count(topic) > 0;
}

void EventHub::shutdown() {
  shutdown_ = true;
  cv_.notify_all();
  std::lock_guard lock(mu_);
  for (auto& [name, t] : topics_) {
    for (auto& [handle, deliver] : t.subscribers) deliver(nullptr);
    t.subscribers.clear();
  }
  handle_topics_.clear();
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
