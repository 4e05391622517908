#pragma once
// What happened on one connection, counted (the lead's /metrics exports them; the fleet simulator sums them).
// Thread-safe: relaxed atomics, read at any time.
#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace edgeml::mqtt {

struct ClientCounters {
  std::atomic<std::uint64_t> connect_attempts{0};
  std::atomic<std::uint64_t> connects{0};            // CONNACK accepted
  std::atomic<std::uint64_t> connect_refused{0};     // CONNACK refused (credentials, not authorized, ...)
  std::atomic<std::uint64_t> connect_failed{0};      // no connection (refused socket, TLS, DNS, no CONNACK in time)
  std::atomic<std::uint64_t> connection_lost{0};     // an established connection dropped
  std::atomic<std::uint64_t> subscribe_refused{0};   // SUBACK with a failure code (ACL)
  std::atomic<std::uint64_t> published{0};           // handed to libmosquitto
  std::atomic<std::uint64_t> delivered{0};           // QoS 1 acknowledged by the broker (PUBACK)
  std::atomic<std::uint64_t> publish_refused{0};     // not connected, or libmosquitto refused it
  std::atomic<std::uint64_t> received{0};            // messages handed to on_message
  std::atomic<std::uint64_t> received_oversized{0};  // messages over max_payload_bytes, dropped

  nlohmann::json to_json() const;
  void add_to(ClientCounters& total) const;  // sums (the fleet simulator)
};

// Prometheus text for one connection's counters: edgeml_mqtt_<name>_total{client="..."} lines with HELP and TYPE.
std::string to_prometheus(const ClientCounters& c, std::string_view client_label);

}  // namespace edgeml::mqtt
