#pragma once
// The agent's side of telemetry: samples the Collector at --telemetry-hz on a thread of its own, keeps a history
// (at least 1 h), and integrates energy per active model, split between the loop's busy intervals and idle time
// (telemetry/inference_energy.hpp: gross energy per inference, idle power, duty cycle, energy per hour). The service
// layer sees only JSON and text.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "agent/agent_options.hpp"
#include "agent/inference_loop.hpp"
#include "agent/model_host.hpp"
#include "common/clock.hpp"
#include "telemetry/snapshot.hpp"

namespace edgeml::agent {

class TelemetryService {
 public:
  TelemetryService(const AgentOptions& options, const Clock& clock, const ModelHost& host, const InferenceLoop& loop);
  ~TelemetryService();
  void start();
  void stop();
  // Called on the sampling thread after each sample (the MQTT link spools it). Set before start().
  void on_sample(std::function<void()> fn);
  // Also after each sample, with the sample itself (the battery policy). Set before start().
  void on_snapshot(std::function<void(const telemetry::Snapshot&)> fn);

  nlohmann::json latest();                         // the newest sample (taken now when none yet)
  nlohmann::json history(double since_s);          // {"samples": [...], "capacity": N}
  std::string prometheus();                        // Prometheus text of the newest sample plus energy per model
  void submit_energy(const nlohmann::json& body);  // POST /energy; FieldError or Error(429)
  // {"available", "model", "energy_j", "seconds", "average_power_w", "gross_energy_per_inference_mj", "idle_power_w",
  //  "duty_cycle", "energy_per_hour_mwh", "split_j", "method", "source", ...} or {"available": false, "reason"}
  nlohmann::json energy();
  // A cumulative energy counter for the benchmark (src/bench reads it before and after each measured run). Each
  // read takes a fresh sample, so energy integrated from power covers exactly the run.
  struct EnergyCounter {
    bool available = false;
    std::string name;    // "rapl (rapl package counters)"
    std::string reason;  // why not, when !available
    std::function<std::optional<double>()> joules;
  };
  EnergyCounter energy_counter();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgeml::agent
