// Built instead of telemetry_service.cpp when src/telemetry is not part of the build: every telemetry call answers
// 503 with the reason, so the rest of the agent (store, deploy, inference) still works and nothing is invented.
#include "agent/telemetry_service.hpp"

#include "common/error.hpp"

namespace edgeml::agent {

namespace {
[[noreturn]] void absent() { throw HttpError(503, "telemetry unavailable: this agent was built without src/telemetry"); }
}  // namespace

struct TelemetryService::Impl {};

TelemetryService::TelemetryService(const AgentOptions&, const Clock&, const ModelHost&, const InferenceLoop&) {}
TelemetryService::~TelemetryService() = default;
void TelemetryService::start() {}
void TelemetryService::stop() {}
nlohmann::json TelemetryService::latest() { absent(); }
nlohmann::json TelemetryService::history(double) { absent(); }
std::string TelemetryService::prometheus() { return ""; }
void TelemetryService::submit_energy(const nlohmann::json&) { absent(); }
nlohmann::json TelemetryService::energy() {
  return {{"available", false}, {"reason", "this agent was built without src/telemetry"}};
}
TelemetryService::EnergyCounter TelemetryService::energy_counter() {
  EnergyCounter c;
  c.reason = "this agent was built without src/telemetry";
  return c;
}

}  // namespace edgeml::agent
