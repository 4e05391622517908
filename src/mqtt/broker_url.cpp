#include "mqtt/broker_url.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::mqtt {

std::string BrokerUrl::to_string() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(tls ? "mqtts://" : "mqtt://") + h + ":" + std::to_string(port);
}

BrokerUrl parse_broker_url(const std::string& url, const std::string& field) {
  auto bad = [&](const std::string& why) {
    return FieldError(field, "'" + field + "' " + why + " (expected mqtt://HOST[:PORT] or mqtts://HOST[:PORT])");
  };
  BrokerUrl b;
  std::string rest;
  if (url.rfind("mqtt://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("mqtts://", 0) == 0) {
    b.tls = true;
    b.port = 8883;
    rest = url.substr(8);
  } else {
    throw bad("has an unknown scheme");
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  for (char c : rest)
    if (c == '/' || c == '?' || c == '#' || c == '@' || static_cast<unsigned char>(c) <= ' ')
      throw bad("must be only a host and a port (no path, query, credentials or spaces)");
  std::string port_text;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) throw bad("has an unclosed '['");
    b.host = rest.substr(1, close - 1);
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw bad("has text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) throw bad("has an empty port");
    }
  } else {
    auto colon = rest.find(':');
    b.host = rest.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) throw bad("has an empty port");
    }
  }
  if (b.host.empty()) throw bad("has no host");
  if (b.host.size() > 253) throw bad("has a host name longer than 253 characters");
  if (!port_text.empty()) {
    auto p = parse_int(port_text);
    if (!p || *p < 1 || *p > 65535) throw bad("has a port outside 1-65535");
    b.port = static_cast<int>(*p);
  }
  return b;
}

}  // namespace edgeml::mqtt
