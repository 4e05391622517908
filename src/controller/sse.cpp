#include "controller/sse.hpp"

#include <memory>

namespace edgeml::controller {

void reply_event_stream(httplib::Response& res, EventHub& hub, const std::string& topic, std::vector<Event> initial,
                        bool follow) {
  struct State {
    std::vector<Event> initial;
    bool sent_initial = false;
    long long last_seq = 0;
  };
  auto st = std::make_shared<State>();
  st->initial = std::move(initial);
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider("text/event-stream", [&hub, topic, st, follow](size_t, httplib::DataSink& sink) {
    if (!st->sent_initial) {
      st->sent_initial = true;
      std::string out;
      for (const auto& e : st->initial) out += to_sse(e);
      if (!out.empty() && !sink.write(out.data(), out.size())) return false;
      if (!follow) {
        sink.done();
        return true;
      }
    }
    bool closed = false;
    auto events = hub.wait_after(topic, st->last_seq, std::chrono::seconds(15), closed);
    std::string out;
    for (const auto& e : events) {
      out += to_sse(e);
      st->last_seq = e.seq;
    }
    if (out.empty() && !closed) out = ": keep-alive\n\n";
    if (!out.empty() && !sink.write(out.data(), out.size())) return false;
    if (closed) sink.done();
    return true;
  });
}

}  // namespace edgeml::controller
