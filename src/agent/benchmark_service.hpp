#pragma once
// POST /benchmark: timed runs of the active model through src/bench, returned as a catalog row, with the energy and
// average power of the run when a power source exists (telemetry window). Built on src/bench when that part is in the
// build (benchmark_service.cpp); otherwise it answers 503 with the reason (benchmark_service_absent.cpp).
#include <nlohmann/json.hpp>

#include "agent/model_host.hpp"
#include "agent/model_store.hpp"
#include "agent/telemetry_service.hpp"

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

}  // namespace edgeml::agent
