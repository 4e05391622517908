#pragma once
// One benchmarked model on one device type, as read from a benchmark CSV (or produced by our own bench), with the
// data-quality flags found while validating it. Rows are never dropped: a flagged row is kept and shown with its flags.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgeml::catalog {

// Flag names, as the API shows them.
inline constexpr const char* kFlagPowerImplausible = "power_implausible";
inline constexpr const char* kFlagLatencyIsRunDuration = "latency_is_run_duration";
inline constexpr const char* kFlagFlopsMacsMismatch = "flops_macs_mismatch";
inline constexpr const char* kFlagUnstableEnergy = "unstable_energy";
inline constexpr const char* kFlagAvgMismatch = "avg_mismatch";
inline constexpr const char* kFlagInvalidValue = "invalid_value";
// A row our own bench wrote on a device without a power source: latency is real, energy was not measured.
inline constexpr const char* kFlagNoEnergy = "no_energy_measurement";

// Repair rules (catalog/repair.hpp). A repaired row keeps its original values and trains; it is not flagged.
inline constexpr const char* kRepairParamsGflopsSwapped = "params_gflops_swapped";

// Where a row came from: a benchmark file, an agent's post-deploy benchmark window, or rows posted to the API.
inline constexpr const char* kOriginFile = "file";
inline constexpr const char* kOriginFleet = "fleet";
inline constexpr const char* kOriginApi = "api";

struct Flag {
  std::string name;    // one of the kFlag* names
  std::string detail;  // what was seen, e.g. "implied power 0.84 W outside 2-10 W", "column gflops: 'abc'"
};

// A fix applied by a stated rule. The values it replaced are kept, by column name, so nothing is silently lost.
struct Repair {
  std::string rule;                                      // one of the kRepair* names
  std::string detail;                                    // what was seen and what was done
  std::vector<std::pair<std::string, double>> original;  // column -> value before the repair
};

// Who measured a row, on what, when. Fleet rows fill every field they know; file rows only `origin` (and the file).
struct Provenance {
  std::string origin = kOriginFile;  // file | fleet | api
  std::string device;                // the device's name (fleet), or who posted it (api)
  std::string agent_version, backend, sensor, model_sha256;
  std::optional<int> threads;
  std::optional<double> measured_at_s;  // Unix seconds
  std::string campaign;                 // a name for rows measured together (file name, "fleet:<device>", ...)
};

struct ModelRow {
  std::string model;
  std::string device_type;  // "jetson_nano", "rpi5", or a user's name
  std::string source;       // file the row came from (or "fleet:<device>", "api:<who>")
  int line = 0;             // 1-based line in that file (row index for API rows)
  Provenance provenance;

  // Static features of the model.
  std::optional<double> params_m, gflops, gmacs, size_mb;
  std::string input_size;  // e.g. "3x224x224"

  // The measurement. energy_avg_mwh is the energy of ONE measured run of iterations_per_measurement inferences
  // (Jetson schema) or of one run lasting duration_avg_s (RPi5 schema) -- never of a single inference.
  std::optional<double> latency_avg_s, latency_std_s, throughput_iter_per_s;
  std::optional<double> energy_avg_mwh, energy_std_mwh;
  std::vector<double> energy_runs_mwh;
  std::optional<double> duration_avg_s;
  std::vector<double> duration_runs_s;
  std::optional<int> runs, iterations_per_measurement;

  // Extra columns our own bench writes (empty/absent in the original files).
  std::string backend, cpu_model, notes;
  std::optional<int> threads;

  // Derived (only where the inputs make it meaningful):
  std::optional<double> avg_power_w;              // energy_avg_mwh * 3.6 / run time
  std::optional<double> energy_per_inference_mj;  // energy_avg_mwh * 3600 / N

  std::vector<Flag> flags;
  std::vector<Repair> repairs;
  // Cells that were present but not a valid value (flagged invalid_value, the value left empty): column -> the text as
  // read, so an export or a stored record writes it back and the row reloads with the same flag instead of clean.
  std::vector<std::pair<std::string, std::string>> invalid_cells;

  // No data-quality flag: the row may train a predictor. Repaired rows are clean (the repair is stated in `repairs`).
  bool clean() const { return flags.empty(); }
  // Flagged only because the latency column holds the whole run's duration: usable as an energy-per-run row
  // (energy_avg_mwh over run_duration_s()), not as a per-inference one.
  bool energy_per_run_only() const;
  bool repaired() const { return !repairs.empty(); }
  bool has_flag(const std::string& name) const;
  void add_flag(std::string name, std::string detail);
  // Run time of one measured run in seconds: latency x N (Jetson schema) or duration_avg_s (RPi5 schema).
  std::optional<double> run_seconds() const;
  // The measured run's duration for energy-per-run use: duration_avg_s, or the latency column of a row flagged
  // latency_is_run_duration, or latency x N.
  std::optional<double> run_duration_s() const;
};

}  // namespace edgeml::catalog
