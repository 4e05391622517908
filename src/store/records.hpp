#pragma once
// What the controller keeps, one struct per table row. Their columns are defined once, in the table's file
// (devices.cpp, deployments.cpp, telemetry.cpp).
#include <optional>
#include <string>

namespace edgeml::store {

struct Device {
  long long id = 0;
  std::string name, address, device_type, token;  // address = host:port of the agent; token never leaves the controller
  double created_at = 0;
  std::optional<double> last_seen;
  bool online = false;
  std::string last_error;
  std::string transport = "lan";  // lan: the controller calls the agent over HTTP; mqtt: the agent connects to a broker
};

// One deployment (or rollback) as recorded; columns that are unknown stay null.
struct DeploymentRecord {
  long long id = 0;
  std::optional<long long> rollout_id;
  std::string kind = "deploy";  // deploy | rollback
  long long device_id = 0;
  std::string device_name, device_address, device_type, model_name;
  std::string status = "running";  // running | succeeded | failed | rejected | interrupted | skipped
  std::string error;
  double started_at = 0;
  std::optional<double> finished_at;
  std::optional<double> energy_mwh;  // figure used by the energy gate
  std::string energy_source;         // measured | predicted | unavailable
  std::optional<double> max_energy;
  bool forced = false;
  std::string sha256, artifact_file, artifact_source;
  std::optional<double> predicted_per_inference_mj;  // from the predictor, for the measured-vs-predicted comparison
  std::string failure_kind;                          // wire::FailureKind name when failed/rejected/interrupted; else ""
  std::string weights;  // the artifact's weights: placeholder | file | "" (unknown); schema version 5
};

struct StepRecord {
  std::string name, status, detail;
  double started_at = 0, duration_s = 0;
  long long deployment_id = 0;
  long long seq = 0;
};

struct TelemetrySample {
  long long device_id = 0;
  double t = 0;
  std::optional<double> cpu_ratio, memory_ratio, temp_c, power_w, energy_per_inference_j;
  std::string active_model;
  std::optional<double> storage_ratio;                    // used share of the agent's state file system
  std::optional<double> inference_rate, inference_p50_s;  // the agent's continuous loop (per s; seconds)
  bool downsampled = false;                               // a per-minute average made by retention
  // MQTT samples: the agent spool's stream and sequence number, unique per device (de-duplication); LAN: "" and null.
  std::string stream;
  std::optional<long long> seq;
  // The agent's energy definitions (schema version 5): idle power between inferences, the share of time the loop
  // runs inferences, and energy per hour at the current rate. energy_per_inference_j above is the gross figure.
  std::optional<double> idle_power_w, duty_cycle, energy_per_hour_mwh;
};

// A catalog row measured elsewhere (an agent's post-deploy window, POST /api/catalog/rows), kept so it survives a
// restart. `record` is the row as catalog::row_record writes it (one JSON object); the store does not read it.
struct CatalogRowRecord {
  long long id = 0;
  std::string device_type;
  std::string origin;  // fleet | api
  std::string record;
  double added_at = 0;
};

}  // namespace edgeml::store
