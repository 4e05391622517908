#include "controller/post_deploy_window.hpp"

#include "catalog/row_import.hpp"
#include "common/strings.hpp"
#include "controller/agent_client.hpp"
#include "controller/catalog_service.hpp"

namespace edgeml::controller {

namespace {

std::string flags_of(const nlohmann::json& row) {
  std::string out;
  for (const auto& f : row.value("flags", nlohmann::json::array()))
    out += (out.empty() ? "" : ", ") + f.get<std::string>();
  return out;
}

}  // namespace

WindowOutcome collect_post_deploy_window(const store::Device& device, const WindowSettings& settings,
                                         CatalogService& catalog) {
  if (device.device_type.empty())
    return {"skipped", "the device has no registered device_type, so its rows would belong to no catalog", nullptr};
  try {
    // The window holds the agent's answer for up to max_seconds plus warm-up: a timeout of its own.
    AgentClient agent(device.address, device.token, static_cast<int>(settings.max_seconds) + 60);
    auto reply = agent.post("/benchmark/window", {{"max_seconds", settings.max_seconds},
                                                  {"max_inferences", settings.max_inferences},
                                                  {"device_type", device.device_type}});
    if (reply.status == 404)
      return {"skipped", "the agent has no benchmark window (an older agent: POST /benchmark/window answered 404)",
              nullptr};
    if (reply.status != 200 || !reply.body.is_object())
      return {"failed", "the agent's benchmark window failed: " + reply.error_text(), nullptr};
    if (!reply.body.value("ran", false))
      return {"skipped", "no window: " + reply.body.value("reason", std::string("the agent gave no reason")), nullptr};
    nlohmann::json body = reply.body.at("catalog_rows");
    body["device_type"] = device.device_type;  // the controller's registry decides what the device is
    catalog::Provenance fleet;
    fleet.origin = catalog::kOriginFleet;
    fleet.device = device.name;
    auto batch = catalog::rows_from_json(body, fleet);
    auto result = catalog.add(std::move(batch.rows));
    const auto& window = reply.body.value("window", nlohmann::json::object());
    std::string detail = std::to_string(result.added) + " row(s) added to the " + device.device_type + " catalog (" +
                         std::to_string(result.clean) + " clean";
    if (result.flagged) detail += ", " + std::to_string(result.flagged) + " flagged: " + flags_of(result.rows[0]);
    detail += ") from " + std::to_string(window.value("runs", 0)) + " run(s) of " +
              std::to_string(window.value("inferences_per_run", 0)) + " inferences in " +
              format_number(window.value("seconds", 0.0), 2) + " s, energy from " +
              window.value("energy_source", std::string("?"));
    if (!result.device_types.empty()) detail += "; predictors of " + device.device_type + " recalibrating";
    return {"passed",
            detail,
            {{"added", result.added},
             {"clean", result.clean},
             {"flagged", result.flagged},
             {"rows", result.rows},
             {"recalibrating", result.device_types},
             {"window", window}}};
  } catch (const std::exception& e) {
    return {"failed", std::string("benchmark window: ") + e.what(), nullptr};
  }
}

}  // namespace edgeml::controller
