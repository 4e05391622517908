#pragma once
// The controller's transports: LAN (HTTP) always, MQTT when started with --mqtt. Each device uses the one its
// devices.transport names, behind the same DeviceTransport interface.
#include <memory>
#include <string>

#include "controller/device_transport.hpp"
#include "controller/lan_transport.hpp"
#include "controller/mqtt_transport.hpp"

namespace edgeml::controller {

class ControllerTransports final : public DeviceTransports {
 public:
  // mqtt may be null (no broker).
  ControllerTransports(const Clock& clock, LanSettings lan, std::unique_ptr<MqttTransport> mqtt);
  DeviceTransport& of(const store::Device& device) override;
  MqttTransport* mqtt() { return mqtt_.get(); }
  void start();
  void stop();
  std::string prometheus() const;  // the MQTT figures; "" without a broker

 private:
  LanTransport lan_;
  std::unique_ptr<MqttTransport> mqtt_;
};

// "lan" or "mqtt"; FieldError(field) otherwise.
std::string parse_transport_name(const std::string& name, const std::string& field = "transport");

}  // namespace edgeml::controller
