#include "controller/agent_overview.hpp"

#include "common/error.hpp"
#include "controller/agent_client.hpp"

namespace edgeml::controller {

nlohmann::json agent_overview(const store::Device& device, int timeout_s) {
  if (device.transport != "lan")
    throw Error(ErrorKind::unavailable,
                "device '" + device.name + "' uses the " + device.transport +
                    " transport: the controller does not call its agent (its status comes with its MQTT messages)",
                "id");
  AgentClient agent(device.address, device.token, timeout_s);
  auto ask = [&](const std::string& path) {
    AgentReply r;
    try {
      r = agent.get(path);
    } catch (const AgentUnreachable& e) {
      throw Error(ErrorKind::upstream_failed,
                  "device '" + device.name + "' (" + device.address + ") did not answer GET " + path + ": " + e.what(),
                  "id");
    }
    if (r.status != 200 || !r.body.is_object())
      throw Error(ErrorKind::upstream_failed,
                  "device '" + device.name + "' answered GET " + path + " with HTTP " + std::to_string(r.status) +
                      (r.body.is_object() ? ": " + r.error_text() : " and no JSON object"),
                  "id");
    return r.body;
  };
  return {{"status", ask("/status")}, {"models", ask("/models")}};
}

}  // namespace edgeml::controller
