#pragma once
// POST /benchmark: timed runs of the active model through src/bench, returned as a catalog row, with the energy and
// average power of the run when a power source exists (telemetry window); without one, the energy columns are empty
// and say why.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "agent/agent_options.hpp"
#include "agent/inference_loop.hpp"
#include "agent/model_host.hpp"
#include "agent/model_store.hpp"
#include "agent/telemetry_service.hpp"
#include "common/clock.hpp"

namespace edgeml::agent {

struct BenchmarkRequest {
  int iterations = 30;  // inferences per measured run
  int warmup = 5;
  int runs = 3;  // measured runs (energy per run, then mean and spread)
};
// {iterations (1..100000), warmup (0..10000), runs (1..100)}, all optional; FieldError naming the field.
BenchmarkRequest parse_benchmark_request(const nlohmann::json& body);

nlohmann::json run_benchmark(const BenchmarkRequest& request, const ModelHost& host, const ModelStore& store,
                             TelemetryService& telemetry, const nlohmann::json& device);

// The bounded benchmark window the agent runs after a deploy, so the fleet measures itself and feeds the catalog.
struct WindowRequest {
  double max_seconds = 10;   // all measured runs together stay within this (plus warm-up and one probe)
  int max_inferences = 500;  // per measured run
  int runs = 3;
  int warmup = 3;
};
// Throws FieldError naming the field: max_seconds 0.1-600, max_inferences 1-100000, runs 1-10, warmup 0-1000.
void check_window_request(const WindowRequest& request);

// Says why the device must not be benchmarked now (work it was told is critical), or nullopt when it may be.
using CriticalWork = std::function<std::optional<std::string>()>;

// Runs the window on the active model with the continuous loop paused: N inferences per run, N chosen from a probe of
// the latency so that runs x N fit in max_seconds (at most max_inferences). Returns
//   {"ran": true, "catalog_rows": {"device_type", "rows": [row], "provenance": {device, agent_version, backend,
//    threads, sensor, measured_at_s, model_sha256}}, "window": {...}}
// -- catalog_rows is the body POST /api/catalog/rows takes (origin fleet) -- or {"ran": false, "reason"} when there is
// no active model, no power source (a row without energy teaches no predictor), or critical work.
// device_type: what the controller registered this device as ("" = null, the controller fills it in).
nlohmann::json run_post_deploy_window(const WindowRequest& request, const ModelHost& host, const ModelStore& store,
                                      InferenceLoop& loop, TelemetryService& telemetry, const nlohmann::json& device,
                                      const AgentOptions& options, const Clock& clock, const std::string& device_type,
                                      const CriticalWork& critical);

}  // namespace edgeml::agent
