#pragma once
// One interface for how the controller reaches a device, whichever transport it uses:
//   lan   the controller calls the agent's HTTP API (POST /deploy, /rollback, GET /status) and polls /telemetry;
//   mqtt  the agent connects out to a broker; the controller publishes commands and reads events, telemetry and
//         presence from it, and never opens a connection to the agent.
// The Deployer drives a deployment's state machine (wire/deploy_state.hpp) through this interface and records the
// steps; it no longer knows HTTP or MQTT. The agent pulls model bytes over HTTP(S) from the artifact store either way.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/records.hpp"
#include "wire/command.hpp"
#include "wire/deploy_state.hpp"
#include "wire/failure_kind.hpp"

namespace edgeml::controller {

// What a transport reports while a command runs; implemented by the Deployer's record of the deployment.
class CommandWatcher {
 public:
  virtual ~CommandWatcher() = default;
  // The device finished `step` (detail goes into the step's record); the machine's next step begins.
  virtual void step_passed(wire::DeployStep step, const std::string& detail) = 0;
  virtual void bytes(std::uint64_t received, std::uint64_t total) = 0;
  // True once the controller is stopping: the transport gives up waiting and answers interrupted.
  virtual bool stopping() const = 0;
};

struct DeployOrder {
  long long deployment_id = 0;
  wire::DeployPayload payload;  // model_name, model_url (the artifact store), sha256, size, activate
  double timeout_s = 180;       // from the command to a healthy model
};

// How a command ended on the device.
struct CommandResult {
  wire::DeployState state = wire::DeployState::failed;  // succeeded | failed | interrupted
  std::optional<wire::FailureKind> failure;             // failed: why (interrupted: interrupted)
  std::string message;                                  // failed: the reason; succeeded: the last step's detail
  std::string active_name, active_sha256;               // the model active afterwards, when the device said

  static CommandResult ok(std::string detail, std::string name = "", std::string sha256 = "") {
    return {wire::DeployState::succeeded, std::nullopt, std::move(detail), std::move(name), std::move(sha256)};
  }
  static CommandResult fail(wire::FailureKind kind, std::string message) {
    return {kind == wire::FailureKind::interrupted ? wire::DeployState::interrupted : wire::DeployState::failed,
            kind,
            std::move(message),
            {},
            {}};
  }
};

class DeviceTransport {
 public:
  virtual ~DeviceTransport() = default;
  virtual std::string_view name() const = 0;  // "lan" | "mqtt" (devices.transport)
  // The caller has begun the transfer step. Reports transfer and activation through the watcher; returns when the
  // device runs the model (the health check passed: succeeded), failed, the timeout passed, or the controller stops.
  virtual CommandResult deploy(const store::Device& device, const DeployOrder& order, CommandWatcher& watcher) = 0;
  // The caller has begun the rollback step. Reports it through the watcher; succeeded carries the model now active.
  virtual CommandResult rollback(const store::Device& device, long long deployment_id, double timeout_s,
                                 CommandWatcher& watcher) = 0;
};

// The transports the controller has: LAN always, MQTT when started with --mqtt.
class DeviceTransports {
 public:
  virtual ~DeviceTransports() = default;
  // The device's transport. Error(unavailable, field "transport") for an MQTT device when the controller has no
  // broker, or a transport name it does not know.
  virtual DeviceTransport& of(const store::Device& device) = 0;
};

}  // namespace edgeml::controller
