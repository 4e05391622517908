#pragma once
// The LAN transport: the controller calls the agent's HTTP API at the device's registered address (POST /deploy, then
// GET /status until the agent's job is done or failed; POST /rollback). For small setups and `make run`; a device
// behind NAT uses MQTT (mqtt_transport.hpp) behind the same interface.
#include "common/clock.hpp"
#include "controller/device_transport.hpp"
#include "http/client.hpp"

namespace edgeml::controller {

struct LanSettings {
  double poll_interval_s = 0.02;     // how often the agent's /status is read while it downloads and activates
  int agent_timeout_s = 5;           // per HTTP call
  http::TlsClientOptions agent_tls;  // --agent-ca: agents serve HTTPS, verified against this CA
};

class LanTransport final : public DeviceTransport {
 public:
  explicit LanTransport(const Clock& clock, LanSettings settings = {}) : clock_(clock), settings_(settings) {}
  std::string_view name() const override { return "lan"; }
  CommandResult deploy(const store::Device& device, const DeployOrder& order, CommandWatcher& watcher) override;
  CommandResult rollback(const store::Device& device, long long deployment_id, double timeout_s,
                         CommandWatcher& watcher) override;

 private:
  const Clock& clock_;
  LanSettings settings_;
};

// The failure kind of an agent's HTTP refusal (507 disk full, 413 too large, others refused).
wire::FailureKind failure_of_agent_status(int status);

}  // namespace edgeml::controller
