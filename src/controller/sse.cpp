#include "controller/sse.hpp"

#include <memory>

#include "http/stream_channel.hpp"

namespace edgeml::controller {

void reply_event_stream(http::Response& res, EventHub& hub, const std::string& topic, std::vector<Event> initial,
                        bool follow, bool replay) {
  auto channel = std::make_shared<http::StreamChannel>();
  std::string first;
  for (const auto& e : initial) first += to_sse(e);
  if (!first.empty()) channel->push(first);
  res.stream = channel;
  if (!follow) {
    channel->close();
    return;
  }
  // The hub keeps the channel alive through the callback until the stream ends (then unsubscribes).
  long long handle = hub.subscribe(topic, replay, [channel](const Event* e) {
    if (!e) {
      channel->close();
      return false;
    }
    return channel->push(to_sse(*e));
  });
  if (handle) channel->on_end([&hub, handle] { hub.unsubscribe(handle); });
}

}  // namespace edgeml::controller
