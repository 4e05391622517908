#include "controller/transports.hpp"

#include "common/error.hpp"

namespace edgeml::controller {

ControllerTransports::ControllerTransports(const Clock& clock, LanSettings lan, std::unique_ptr<MqttTransport> mqtt)
    : lan_(clock, lan), mqtt_(std::move(mqtt)) {}

DeviceTransport& ControllerTransports::of(const store::Device& d) {
  if (d.transport == "lan") return lan_;
  if (d.transport == "mqtt") {
    if (!mqtt_)
      throw Error(ErrorKind::unavailable,
                  "device " + d.name + " uses MQTT and this controller has no broker (start it with --mqtt URL)",
                  "transport");
    return *mqtt_;
  }
  throw Error(ErrorKind::unavailable, "device " + d.name + " has an unknown transport '" + d.transport + "'",
              "transport");
}

void ControllerTransports::start() {
  if (mqtt_) mqtt_->start();
}

void ControllerTransports::stop() {
  if (mqtt_) mqtt_->stop();
}

std::string ControllerTransports::prometheus() const { return mqtt_ ? mqtt_->prometheus() : ""; }

std::string parse_transport_name(const std::string& name, const std::string& field) {
  if (name != "lan" && name != "mqtt") throw FieldError(field, field + " must be 'lan' or 'mqtt', got '" + name + "'");
  return name;
}

}  // namespace edgeml::controller
