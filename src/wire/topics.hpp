#pragma once
// The MQTT topic scheme: one prefix, then one level per device, then the channel.
//
//   <prefix>/<device>/telemetry   agent -> controller   batched samples, QoS 1
//   <prefix>/<device>/status      agent -> all          DeviceStatus, retained (last will: offline, connection_lost)
//   <prefix>/<device>/command     controller -> agent   Command, QoS 1 (queued by the broker while the agent is away)
//   <prefix>/<device>/events      agent -> controller   Event: acks, deploy progress and results, QoS 1
//
// One level per device is what per-device broker ACLs match (mosquitto: `pattern readwrite <prefix>/%u/#`).
// See src/wire/README.md.
#include <span>
#include <string>
#include <string_view>

#include "wire/enum_names.hpp"

namespace edgeml::wire {

enum class Channel { telemetry, status, command, events };
std::span<const EnumName<Channel>> channel_names();
inline const char* to_string(Channel c) { return name_of(channel_names(), c); }

class TopicScheme {
 public:
  // prefix: one or more levels of [A-Za-z0-9._-], separated by '/', at most 128 characters; no wildcards, no
  // leading '$' (reserved by brokers), no empty level. Throws FieldError(field).
  explicit TopicScheme(std::string prefix = "edgeml", const std::string& field = "prefix");
  const std::string& prefix() const { return prefix_; }

  // <prefix>/<device>/<channel>; throws FieldError("device") for a name outside common/names' rule.
  std::string topic(const std::string& device, Channel channel) const;
  // <prefix>/+/<channel>: every device's channel (what a controller subscribes to).
  std::string all_devices(Channel channel) const;
  // $share/<group>/<prefix>/+/<channel>: MQTT 5 shared subscription, each message to one member of the group (several
  // controllers consuming one stream once).
  std::string shared(const std::string& group, Channel channel) const;

  struct Parsed {
    std::string device;
    Channel channel;
  };
  // Throws ProtocolError(bad_topic, "topic") for a topic outside the scheme.
  Parsed parse(std::string_view topic) const;

 private:
  std::string prefix_;
};

}  // namespace edgeml::wire
