#pragma once
// Where the broker is: mqtt://HOST[:PORT] (plain, default port 1883) or mqtts://HOST[:PORT] (TLS, default 8883).
// IPv6 literals in brackets: mqtt://[::1]:1883.
#include <string>

namespace edgeml::mqtt {

struct BrokerUrl {
  bool tls = false;
  std::string host;
  int port = 1883;
  std::string to_string() const;  // normalized, e.g. "mqtts://broker.lan:8883"
};

// Throws FieldError(field) for another scheme, a missing host, a bad port, a path, a query or credentials in the URL
// (credentials come from the environment or a file, never from a URL that ends up in logs and `ps`).
BrokerUrl parse_broker_url(const std::string& url, const std::string& field = "--mqtt");

}  // namespace edgeml::mqtt
