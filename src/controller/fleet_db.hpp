#pragma once
// The controller's persistent state in SQLite (<state>/controller.db, WAL): registered devices, every deployment with
// its steps, and telemetry samples with retention. One connection guarded by a mutex; every method is thread-safe.
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/sqlite.hpp"

namespace edgeml::controller {

struct Device {
  long long id = 0;
  std::string name, address, device_type, token;  // address = host:port of the agent; token never leaves the controller
  double created_at = 0;
  std::optional<double> last_seen;
  bool online = false;
  std::string last_error;
};
nlohmann::json to_json(const Device& d);  // no token, only has_token

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
};

struct StepRecord {
  std::string name, status, detail;
  double started_at = 0, duration_s = 0;
};

struct TelemetrySample {
  long long device_id = 0;
  double t = 0;
  std::optional<double> cpu_ratio, memory_ratio, temp_c, power_w, energy_per_inference_j;
  std::optional<double> storage_ratio;                    // used share of the agent's state file system
  std::optional<double> inference_rate, inference_p50_s;  // the agent's continuous loop (per s; seconds)
  std::string active_model;
};

class FleetDb {
 public:
  explicit FleetDb(const std::filesystem::path& file);

  // Devices. add: Error(409) when the name is taken.
  Device add_device(Device d);
  std::vector<Device> devices();
  std::optional<Device> device(long long id);
  std::optional<Device> device_by_name(const std::string& name);
  std::optional<Device> device_by_address(const std::string& address);
  void mark_seen(long long id, double t);
  void mark_unreachable(long long id, const std::string& error);

  // Deployments.
  long long begin(const DeploymentRecord& r);
  void update(const DeploymentRecord& r);  // every column but id
  void add_step(long long deployment_id, const StepRecord& s);
  std::optional<DeploymentRecord> deployment(long long id);
  std::vector<StepRecord> steps(long long deployment_id);
  std::vector<DeploymentRecord> recent(int limit);
  long long next_rollout_id();
  // Deployments left "running" by a controller that died: marked interrupted. Returns how many.
  int mark_interrupted(double now);
  std::optional<DeploymentRecord> last_succeeded(long long device_id);

  // Telemetry. add_samples also marks each sample's device online and seen at the sample's time.
  void add_samples(const std::vector<TelemetrySample>& samples);
  // Averages per `step` seconds (0 = raw samples), oldest first.
  std::vector<TelemetrySample> samples(long long device_id, double since, double until, double step);
  std::optional<TelemetrySample> latest_with_energy(long long device_id, const std::string& model);
  // Deletes samples older than keep_s; replaces raw samples older than raw_s by one average per minute.
  void apply_retention(double now, double keep_s, double raw_s);

  std::string journal_mode() { return db_.journal_mode(); }

 private:
  void migrate();
  std::mutex mu_;
  SqliteDb db_;
};

nlohmann::json to_json(const DeploymentRecord& r, const std::vector<StepRecord>& steps);
nlohmann::json to_json(const TelemetrySample& s);

}  // namespace edgeml::controller
