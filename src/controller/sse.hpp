#pragma once
// Server-sent event responses fed by the EventHub: a reply first sends `initial` (what already happened), then every
// new event of the topic as it is published, with a comment line every 15 s so proxies keep the stream open. The
// stream ends when the topic is closed (a finished deployment) or the client goes away.
#include <httplib.h>

#include <functional>
#include <string>
#include <vector>

#include "controller/event_hub.hpp"

namespace edgeml::controller {

// `follow` false: send `initial` and end (nothing more will happen).
void reply_event_stream(httplib::Response& res, EventHub& hub, const std::string& topic, std::vector<Event> initial,
                        bool follow);

}  // namespace edgeml::controller
