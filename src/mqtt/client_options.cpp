#include "mqtt/client_options.hpp"

#include "common/error.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"

namespace edgeml::mqtt {

namespace {
void check_topic(const std::string& topic, const std::string& field) {
  if (topic.empty() || topic.size() > 1024) throw FieldError(field, "'" + field + "' must be 1 to 1024 characters");
  if (topic.find_first_of("+#") != std::string::npos)
    throw FieldError(field, "'" + field + "' must not contain wildcards (+, #)");
}
void check_qos(int qos, const std::string& field) {
  if (qos < 0 || qos > 1) throw FieldError(field, "'" + field + "' must be 0 or 1");
}
}  // namespace

void check_options(const ClientOptions& o) {
  validate_name(o.client_id, "client_id");
  if (o.broker.host.empty()) throw FieldError("broker", "no broker host");
  if (o.keepalive_s < 5 || o.keepalive_s > 65535) throw FieldError("keepalive_s", "'keepalive_s' must be 5-65535");
  if (o.reconnect_min_s <= 0 || o.reconnect_max_s < o.reconnect_min_s || o.reconnect_max_s > 3600)
    throw FieldError("reconnect_min_s", "reconnect backoff must satisfy 0 < min <= max <= 3600 s");
  if (o.connack_timeout_s <= 0 || o.connack_timeout_s > 600)
    throw FieldError("connack_timeout_s", "'connack_timeout_s' must be > 0 and <= 600");
  if (o.max_inflight < 1 || o.max_inflight > 65535) throw FieldError("max_inflight", "'max_inflight' must be 1-65535");
  if (o.receive_maximum < 1 || o.receive_maximum > 65535)
    throw FieldError("receive_maximum", "'receive_maximum' must be 1-65535");
  if (o.max_payload_bytes < 1024 || o.max_payload_bytes > (256u << 20))
    throw FieldError("max_payload_bytes", "'max_payload_bytes' must be 1 KiB to 256 MiB");
  if (o.will) {
    check_topic(o.will->topic, "will.topic");
    check_qos(o.will->qos, "will.qos");
  }
  if (o.birth) {
    check_topic(o.birth->topic, "birth.topic");
    check_qos(o.birth->qos, "birth.qos");
  }
  for (const auto& s : o.subscriptions) {
    if (s.filter.empty() || s.filter.size() > 1024)
      throw FieldError("subscriptions", "a subscription filter must be 1 to 1024 characters");
    check_qos(s.qos, "subscriptions.qos");
  }
  if (o.broker.tls) check_tls_files(o.tls);
}

}  // namespace edgeml::mqtt
