#include "bench/benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "bench/model_features.hpp"
#include "bench/system_info.hpp"
#include "common/error.hpp"
#include "common/strings.hpp"
#include "runtime/runtime.hpp"

namespace edgeml::bench {

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double stddev_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = mean_of(v);
  double sq = 0;
  for (double x : v) sq += (x - m) * (x - m);
  return std::sqrt(sq / static_cast<double>(v.size()));
}

double percentile_of(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

namespace {

void validate(const BenchOptions& o) {
  if (o.threads < 1) throw FieldError("threads", "threads must be at least 1");
  if (o.warmup < 0) throw FieldError("warmup", "warmup must be 0 or more");
  if (o.iterations < 1) throw FieldError("iterations", "iterations must be at least 1");
  if (o.runs < 1) throw FieldError("runs", "runs must be at least 1");
}

// Deterministic input in [-1, 1] (splitmix64): every backend and every run sees the same tensor.
std::vector<float> seeded_input(size_t n) {
  std::vector<float> v(n);
  uint64_t s = 42;
  for (auto& x : v) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    x = static_cast<float>(z >> 40) / static_cast<float>(1ull << 24) * 2.0f - 1.0f;
  }
  return v;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

BenchResult run_benchmark(const std::filesystem::path& model, const BenchOptions& options) {
  validate(options);
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };

  BenchResult r;
  r.file = model;
  r.model = model.stem().string();
  r.threads = options.threads;
  r.warmup = options.warmup;
  r.runs = options.runs;
  r.iterations_per_measurement = options.iterations;
  r.cpu_model = cpu_model();
  const StaticFeatures features = static_features(model);
  r.params_m = features.params_m;
  r.gflops = features.gflops;
  r.gmacs = features.gmacs;
  r.size_mb = features.size_mb;
  if (!features.note.empty()) r.notes.push_back(features.note);

  const bool rss_reset = reset_peak_rss();
  auto rt = runtime::make_runtime(options.backend);
  r.backend = rt->backend();
  say(r.model + " [" + r.backend + ", " + std::to_string(options.threads) + " thread(s)]: loading");
  rt->load(model, {.threads = options.threads});
  for (auto& a : rt->adjustments()) r.notes.push_back(a);

  const auto in = rt->input();
  std::vector<std::string> dims;
  for (size_t i = 1; i < in.shape.size(); ++i) dims.push_back(std::to_string(in.shape[i] > 0 ? in.shape[i] : 1));
  // The catalogs write image inputs channels first (3x224x224); an NHWC model (TFLite) is reported the same way.
  if (rt->input_spec().layout == runtime::Layout::nhwc && dims.size() == 3) dims = {dims[2], dims[0], dims[1]};
  for (size_t i = 0; i < dims.size(); ++i) r.input_size += (i ? "x" : "") + dims[i];
  if (dims.size() >= 2) r.input_resolution = dims[dims.size() - 2] + "x" + dims.back();

  const std::vector<float> input = seeded_input(in.element_count());
  say(r.model + ": warm-up, " + std::to_string(options.warmup) + " inferences");
  for (int i = 0; i < options.warmup; ++i) rt->run(input);

  std::vector<double> latencies;
  latencies.reserve(static_cast<size_t>(options.runs) * options.iterations);
  double timed_total_s = 0;
  std::vector<double> run_joules, run_seconds;
  std::string energy_problem = options.energy ? "" : "energy unavailable: " + options.no_energy_reason;
  for (int run = 1; run <= options.runs; ++run) {
    std::optional<double> j0, j1;
    if (options.energy) j0 = options.energy->joules();
    const auto run_start = std::chrono::steady_clock::now();
    for (int i = 0; i < options.iterations; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      rt->run(input);
      latencies.push_back(seconds_since(t0));
    }
    const double run_s = seconds_since(run_start);
    timed_total_s += run_s;
    if (options.energy) j1 = options.energy->joules();
    if (options.energy && energy_problem.empty()) {
      if (!j0.has_value() || !j1.has_value())
        energy_problem =
            "energy unavailable: " + options.energy->name + " could not be read on run " + std::to_string(run);
      else if (j1.value() < j0.value())
        energy_problem = "energy unavailable: " + options.energy->name + " counter went backwards on run " +
                         std::to_string(run) + " (wrapped or reset)";
      else {
        run_joules.push_back(j1.value() - j0.value());
        run_seconds.push_back(run_s);
      }
    }
    const double avg_ms = 1000.0 * mean_of({latencies.end() - options.iterations, latencies.end()});
    say(r.model + ": run " + std::to_string(run) + "/" + std::to_string(options.runs) + ", " +
        std::to_string(options.iterations) + " inferences, " + format_number(avg_ms, 3) + " ms each");
  }

  r.latency_avg_s = mean_of(latencies);
  r.latency_std_s = stddev_of(latencies);
  r.latency_p50_s = percentile_of(latencies, 50);
  r.latency_p99_s = percentile_of(latencies, 99);
  r.throughput_iter_per_s = static_cast<double>(latencies.size()) / timed_total_s;
  r.peak_rss_mb = peak_rss_mb();
  if (!rss_reset) r.notes.push_back("peak_rss_mb is the whole process's peak (the kernel refused to reset it)");

  if (energy_problem.empty()) {
    for (double j : run_joules) r.energy_runs_mwh.push_back(j / 3.6);  // 1 mWh = 3.6 J
    r.energy_avg_mwh = mean_of(r.energy_runs_mwh);
    r.energy_std_mwh = stddev_of(r.energy_runs_mwh);
    r.avg_power_w = std::accumulate(run_joules.begin(), run_joules.end(), 0.0) /
                    std::accumulate(run_seconds.begin(), run_seconds.end(), 0.0);
    r.notes.push_back("energy from " + options.energy->name);
  } else {
    r.notes.push_back(energy_problem);
  }
  return r;
}

}  // namespace edgeml::bench
