#pragma once
// Everything one MQTT connection needs, checked once (check_options) before any socket is opened.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mqtt/broker_url.hpp"
#include "mqtt/credentials.hpp"

namespace edgeml::mqtt {

struct OutgoingMessage {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retain = false;
};

struct Subscription {
  std::string filter;  // may be a shared subscription: $share/<group>/<filter>
  int qos = 1;
};

enum class Protocol { mqtt311, mqtt5 };

struct ClientOptions {
  BrokerUrl broker;
  std::string client_id;  // unique per device; also its identity in broker ACLs (common/names rule)
  Credentials credentials;
  TlsFiles tls;  // used when broker.tls
  Protocol protocol = Protocol::mqtt5;
  int keepalive_s = 30;  // the broker declares the client gone after 1.5 x this without traffic (last will)
  // Persistent session: the broker keeps subscriptions and queues QoS 1 messages (commands) while the client is away.
  bool clean_session = false;
  // MQTT 5 only: how long the broker keeps a persistent session after a disconnect (MQTT 5's default is 0 = not at
  // all, which would lose the commands queued for an offline agent). MQTT 3.1.1 sessions last until the broker's own
  // expiry (mosquitto: persistent_client_expiration, default never).
  std::uint32_t session_expiry_s = 7 * 86400;
  std::optional<OutgoingMessage> will;      // the broker publishes it when the connection is lost without DISCONNECT
  std::optional<OutgoingMessage> birth;     // published after every connect (the retained "online" status)
  std::vector<Subscription> subscriptions;  // (re)subscribed after every connect
  // Reconnect backoff: from min, doubling per failed attempt, up to max; each wait drawn in [50%, 100%] of it so a
  // fleet does not reconnect in step after a broker restart. Reset by a successful connect.
  double reconnect_min_s = 0.5;
  double reconnect_max_s = 30;
  double connack_timeout_s = 10;  // a connection without CONNACK by then counts as failed
  int max_inflight = 20;          // QoS 1 publishes awaiting their PUBACK; more wait in libmosquitto's queue
  int receive_maximum = 20;  // MQTT 5: QoS 1 messages the broker may send before our PUBACKs (a consumer raises it)
  // Incoming messages larger than this are refused and counted (MQTT 5: also announced to the broker as the maximum
  // packet size, so it does not send them at all).
  std::size_t max_payload_bytes = 1 << 20;
  std::uint64_t seed = 0;       // backoff jitter; 0 = derived from client_id (reproducible per device)
  bool log_connections = true;  // the fleet simulator turns this off for thousands of clients
};

// Throws FieldError naming the option.
void check_options(const ClientOptions& o);

}  // namespace edgeml::mqtt
