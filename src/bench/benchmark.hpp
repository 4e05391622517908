#pragma once
// Timed inference runs of one model file on one backend: W warm-up inferences, then R measured runs of N inferences
// each (the Jetson schema's runs x iterations_per_measurement). Latency statistics cover every timed inference;
// energy is per measured run and only present when an EnergySource is given.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench/energy_source.hpp"

namespace edgeml::bench {

struct BenchOptions {
  std::string backend = "auto";  // "ort" | "opencv" | "auto"
  int threads = 1;
  int warmup = 10;
  int iterations = 100;  // inferences per measured run
  int runs = 3;          // measured runs
  std::optional<EnergySource> energy;
  std::string no_energy_reason = "no power source on this machine";
  std::function<void(const std::string&)> progress;  // one line per step; empty = silent
};

struct BenchResult {
  std::string model;  // file stem, e.g. "resnet18"
  std::filesystem::path file;
  std::string backend, cpu_model;
  int threads = 1, warmup = 0, runs = 0, iterations_per_measurement = 0;

  // Static features: from the ONNX inspector when this build has it, else empty (reason in notes).
  std::optional<double> params_m, gflops, gmacs;
  double size_mb = 0;            // model file size, MiB (external data included)
  std::string input_size;        // "3x224x224": the input shape without the batch dimension
  std::string input_resolution;  // "224x224"

  double latency_avg_s = 0, latency_std_s = 0, latency_p50_s = 0, latency_p99_s = 0;
  double throughput_iter_per_s = 0;  // timed inferences / their total wall time
  std::optional<double> peak_rss_mb;

  std::vector<double> energy_runs_mwh;  // one per measured run; empty when energy is unavailable
  std::optional<double> energy_avg_mwh, energy_std_mwh, avg_power_w;

  std::vector<std::string> notes;
};

// Loads and benchmarks one model. Throws RuntimeRefusal when the backend will not run it, FieldError on bad options,
// std::runtime_error on unreadable files.
BenchResult run_benchmark(const std::filesystem::path& model, const BenchOptions& options);

// Mean, population standard deviation and nearest-rank percentile of a sample (exposed for tests).
double mean_of(const std::vector<double>& v);
double stddev_of(const std::vector<double>& v);
double percentile_of(std::vector<double> v, double p);  // p in [0, 100]

}  // namespace edgeml::bench
