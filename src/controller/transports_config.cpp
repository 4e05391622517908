#include "controller/transports_config.hpp"

#include <cstdlib>

namespace edgeml::controller {

std::unique_ptr<ControllerTransports> make_transports(const Config& config, store::Store& db, EventHub& events,
                                                      const Clock& clock, const DeploySettings& deploy) {
  std::unique_ptr<MqttTransport> mqtt;
  if (!config.mqtt_url.empty()) {
    MqttSettings s;
    s.url = config.mqtt_url;
    s.prefix = config.mqtt_prefix;
    s.client_id = config.mqtt_client_id;
    s.share_group = config.mqtt_share_group;
    s.credentials = mqtt::credentials_from_env([](const char* name) { return std::getenv(name); });
    s.tls = {config.mqtt_ca, config.mqtt_cert, config.mqtt_key};
    mqtt = std::make_unique<MqttTransport>(s, db, events, clock);
  }
  return std::make_unique<ControllerTransports>(
      clock, LanSettings{deploy.poll_interval_s, deploy.agent_timeout_s, deploy.agent_tls}, std::move(mqtt));
}

}  // namespace edgeml::controller
