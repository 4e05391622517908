#include "mqtt/counters.hpp"

#include <array>
#include <utility>

namespace edgeml::mqtt {

namespace {
using Field = std::atomic<std::uint64_t> ClientCounters::*;
struct Named {
  const char* name;
  Field field;
  const char* help;
};
constexpr std::array<Named, 11> kFields{{
    {"connect_attempts", &ClientCounters::connect_attempts, "MQTT connection attempts."},
    {"connects", &ClientCounters::connects, "MQTT connections accepted by the broker."},
    {"connect_refused", &ClientCounters::connect_refused, "MQTT connections refused by the broker (CONNACK)."},
    {"connect_failed", &ClientCounters::connect_failed, "MQTT connection attempts that failed before a CONNACK."},
    {"connection_lost", &ClientCounters::connection_lost, "Established MQTT connections that dropped."},
    {"subscribe_refused", &ClientCounters::subscribe_refused, "Subscriptions the broker refused."},
    {"published", &ClientCounters::published, "Messages handed to the MQTT client library."},
    {"delivered", &ClientCounters::delivered, "QoS 1 messages acknowledged by the broker."},
    {"publish_refused", &ClientCounters::publish_refused, "Publishes refused (not connected, or library error)."},
    {"received", &ClientCounters::received, "Messages received."},
    {"received_oversized", &ClientCounters::received_oversized, "Messages dropped for being over the size limit."},
}};
}  // namespace

nlohmann::json ClientCounters::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : kFields) j[f.name] = (this->*f.field).load(std::memory_order_relaxed);
  return j;
}

void ClientCounters::add_to(ClientCounters& total) const {
  for (const auto& f : kFields)
    (total.*f.field).fetch_add((this->*f.field).load(std::memory_order_relaxed), std::memory_order_relaxed);
}

std::string to_prometheus(const ClientCounters& c, std::string_view client_label) {
  std::string out;
  std::string label = "{client=\"" + std::string(client_label) + "\"} ";
  for (const auto& f : kFields) {
    std::string metric = std::string("edgeml_mqtt_") + f.name + "_total";
    out += "# HELP " + metric + " " + f.help + "\n# TYPE " + metric + " counter\n";
    out += metric + label + std::to_string((c.*f.field).load(std::memory_order_relaxed)) + "\n";
  }
  return out;
}

}  // namespace edgeml::mqtt
