#pragma once
// One MQTT connection (one client id) over libmosquitto 2.0, driven by an EventLoop (mqtt/event_loop.hpp).
//
// Threads: callbacks run on the loop's thread. publish(), connected(), inflight() and counters() may be called from
// any thread; close() from any thread but the loop's; drop_link() only on the loop's thread.
//
// Connecting: on the loop thread when the backoff allows. Plain TCP connects without blocking (the loop keeps serving
// its other clients; a silent broker is given up after connack_timeout_s); host names are resolved blocking. mqtts://
// uses libmosquitto's blocking connect, in which the TLS handshake completes (as its own loop_forever does). The MQTT
// 5 session expiry travels with every CONNECT.
//
// Delivery: publish(qos 1) hands the message to libmosquitto, which keeps it until the broker's PUBACK, resending it
// after a reconnect within the same process; on_delivered(tag) fires on the PUBACK. A caller that must not lose data
// across a process restart keeps it on disk until then (spool/forwarder.hpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "mqtt/client_options.hpp"
#include "mqtt/counters.hpp"

namespace edgeml::mqtt {

struct IncomingMessage {
  std::string_view topic;
  std::string_view payload;
  int qos = 0;
  bool retain = false;
};

struct ConnectionEvent {
  bool connected = false;
  bool session_present = false;  // connected: the broker still held our session (queued messages follow)
  std::string reason;            // not connected: why (refused, lost, closed)
};

struct ClientCallbacks {
  std::function<void(const IncomingMessage&)> on_message;
  std::function<void(std::uint64_t tag)> on_delivered;  // a QoS 1 publish was acknowledged by the broker
  std::function<void(const ConnectionEvent&)> on_connection;
};

class EventLoop;

class Client {
 public:
  // Checks the options (FieldError naming the option). Opens nothing until an EventLoop drives it.
  Client(ClientOptions options, ClientCallbacks callbacks = {}, const Clock* clock = nullptr);
  ~Client();  // detaches from its loop first (blocking until the loop no longer uses it)
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // QoS 0 or 1. `tag` comes back in on_delivered when the broker acknowledged a QoS 1 message. Returns false (and
  // counts publish_refused) when not connected or when libmosquitto refuses the message.
  bool publish(std::string_view topic, std::string_view payload, int qos = 1, bool retain = false,
               std::uint64_t tag = 0);
  bool connected() const;
  std::size_t inflight() const;  // QoS 1 messages published and not yet acknowledged
  const ClientCounters& counters() const;
  const ClientOptions& options() const;

  // Clean shutdown: publishes `farewell` if connected and waits up to timeout_s for its acknowledgement, then sends
  // DISCONNECT (so the broker discards the last will) and stops reconnecting. Returns whether the farewell (if any) was
  // acknowledged. Not on the loop thread.
  bool close(std::optional<OutgoingMessage> farewell, double timeout_s = 5);

  // Loop thread only (simulator, tests): cuts the TCP connection without DISCONNECT, as a lost link does (the broker
  // publishes the last will), and stays away at least reconnect_after_s.
  void drop_link(double reconnect_after_s);

  struct Impl;

 private:
  friend class EventLoop;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgeml::mqtt
