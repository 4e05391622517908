// Built instead of benchmark_service.cpp when src/bench is not part of the build.
#include "agent/benchmark_service.hpp"

#include "common/error.hpp"

namespace edgeml::agent {

nlohmann::json run_benchmark(const BenchmarkRequest&, const ModelHost&, const ModelStore&, TelemetryService&,
                             const nlohmann::json&) {
  throw HttpError(503, "benchmark unavailable: this agent was built without src/bench");
}

}  // namespace edgeml::agent
