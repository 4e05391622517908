#pragma once
// Server-sent event responses fed by the EventHub: a reply first sends `initial` (what already happened), then every
// new event of the topic as it is published (the hub's retained events first when `replay`), with a comment line every
// 15 s so proxies keep the stream open. The stream ends when the topic is closed (a finished deployment) or the
// client goes away. No thread is held per stream.
#include <string>
#include <vector>

#include "controller/event_hub.hpp"
#include "http/response.hpp"

namespace edgeml::controller {

// `follow` false: send `initial` and end (nothing more will happen).
void reply_event_stream(http::Response& res, EventHub& hub, const std::string& topic, std::vector<Event> initial,
                        bool follow, bool replay = false);

}  // namespace edgeml::controller
