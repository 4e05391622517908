#pragma once
// The last step of a deploy: the device measures the model it now runs, and the catalog learns from it. The agent
// runs a bounded benchmark window (POST /benchmark/window: up to max_seconds, at most max_inferences per measured
// run, never while it holds a critical-work lease, only with a power source) and answers with catalog rows; they are
// added as fleet rows of the device's registered type, with their provenance (device, agent version, backend,
// threads, sensor, time, model sha256), and clean ones recalibrate that type's predictors in the background.
#include <nlohmann/json.hpp>
#include <string>

#include "store/records.hpp"

namespace edgeml::controller {

class CatalogService;

struct WindowSettings {
  double max_seconds = 10;   // 0 = no window after a deploy
  int max_inferences = 500;  // per measured run
  bool enabled() const { return max_seconds > 0; }
};

struct WindowOutcome {
  std::string status;  // the step's status: passed (rows added) | skipped (the agent said why) | failed
  std::string detail;
  nlohmann::json added;  // {"added", "clean", "flagged", "rows": [...], "recalibrating": [...]} when rows were added
};

// Never throws: whatever goes wrong is the step's detail (the deployment itself has already succeeded).
WindowOutcome collect_post_deploy_window(const store::Device& device, const WindowSettings& settings,
                                         CatalogService& catalog);

}  // namespace edgeml::controller
