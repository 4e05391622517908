// POST /benchmark on src/bench: the active model's stored file is benchmarked in a runtime of its own, and the result
// comes back as a catalog row (the bench's CSV columns, so the controller's catalog reads it like any other row).
#include "agent/benchmark_service.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "agent/version.hpp"
#include "bench/benchmark.hpp"
#include "bench/rows.hpp"
#include "common/csv.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

namespace {

// The bench's CSV row as JSON, by column name: numbers as numbers, empty cells null (unavailable, never 0).
nlohmann::json row_json(const bench::BenchResult& result) {
  auto table = parse_csv(bench::to_csv({result}));
  nlohmann::json row = nlohmann::json::object();
  if (!table.rows.empty())
    for (size_t i = 0; i < table.header.size(); ++i) {
      const auto& cell = table.rows[0][i];
      if (cell.empty())
        row[table.header[i]] = nullptr;
      else if (auto n = parse_double(cell))
        row[table.header[i]] = *n;
      else
        row[table.header[i]] = cell;
    }
  return row;
}

}  // namespace

void check_window_request(const WindowRequest& r) {
  if (!(r.max_seconds >= 0.1 && r.max_seconds <= 600)) throw FieldError("max_seconds", "max_seconds must be 0.1-600");
  if (r.max_inferences < 1 || r.max_inferences > 100000)
    throw FieldError("max_inferences", "max_inferences must be 1-100000");
  if (r.runs < 1 || r.runs > 10) throw FieldError("runs", "runs must be 1-10");
  if (r.warmup < 0 || r.warmup > 1000) throw FieldError("warmup", "warmup must be 0-1000");
}

nlohmann::json run_post_deploy_window(const WindowRequest& request, const ModelHost& host, const ModelStore& store,
                                      InferenceLoop& loop, TelemetryService& telemetry, const nlohmann::json& device,
                                      const AgentOptions& options, const Clock& clock, const std::string& device_type,
                                      const CriticalWork& critical) {
  check_window_request(request);
  auto skip = [](const std::string& why) { return nlohmann::json{{"ran", false}, {"reason", why}}; };
  if (critical)
    if (auto why = critical()) return skip("the device is busy with work it was told is critical: " + *why);
  auto active = host.active();
  if (!active) return skip("no model is active");
  auto counter = telemetry.energy_counter();
  if (!counter.available) return skip("no power source, so the window would measure no energy: " + counter.reason);

  InferenceLoop::Pause pause(loop);  // the window has the device to itself
  // Probe: a few timed inferences on the active runtime give the latency that sizes N.
  const std::vector<float> input = ModelHost::synthetic_input(active->input.element_count);
  double probe_s = 0;
  const int probes = 3;
  for (int i = 0; i < probes; ++i) probe_s += host.run(input).latency_s;
  const double latency_s = std::max(probe_s / probes, 1e-6);
  const double budget_per_run_s = request.max_seconds / request.runs;
  const int n = static_cast<int>(
      std::clamp(std::floor(budget_per_run_s / latency_s), 1.0, static_cast<double>(request.max_inferences)));

  bench::BenchOptions opts;
  opts.backend = active->backend;
  opts.threads = options.threads;
  opts.warmup = request.warmup;
  opts.iterations = n;
  opts.runs = request.runs;
  opts.energy = bench::EnergySource{counter.name, counter.joules};
  opts.progress = [](const std::string& line) { log::info("agent", "post-deploy window: " + line); };
  const double started_s = clock.now_s();
  const auto t0 = std::chrono::steady_clock::now();
  auto result = bench::run_benchmark(store.path_of(active->ref), opts);
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.model = active->ref.name;
  if (!result.energy_avg_mwh) {
    std::string why = "the energy source could not be read over the window";
    for (const auto& note : result.notes)
      if (note.find("energy unavailable") != std::string::npos) why = note;
    return skip(why);
  }

  nlohmann::json provenance{{"device", device.value("hostname", nlohmann::json())},
                            {"agent_version", kAgentVersion},
                            {"backend", result.backend},
                            {"threads", options.threads},
                            {"sensor", counter.name},
                            {"measured_at_s", started_s},
                            {"model_sha256", active->ref.sha256}};
  if (provenance["device"].is_null()) provenance.erase("device");
  nlohmann::json row = row_json(result);
  for (const char* ours : {"latency_p50_s", "latency_p99_s", "peak_rss_mb"}) row.erase(ours);  // not catalog columns
  return {{"ran", true},
          {"catalog_rows",
           {{"device_type", device_type.empty() ? nlohmann::json(nullptr) : nlohmann::json(device_type)},
            {"rows", nlohmann::json::array({row})},
            {"provenance", provenance}}},
          {"window",
           {{"inferences_per_run", n},
            {"runs", request.runs},
            {"probe_latency_s", latency_s},
            {"seconds", took_s},
            {"max_seconds", request.max_seconds},
            {"energy_source", counter.name},
            {"loop_paused", true}}}};
}

nlohmann::json run_benchmark(const BenchmarkRequest& request, const ModelHost& host, const ModelStore& store,
                             TelemetryService& telemetry, const nlohmann::json& device) {
  auto active = host.active();
  if (!active) throw Error(ErrorKind::conflict, "no model is active: activate one before benchmarking");
  bench::BenchOptions opts;
  opts.backend = active->backend;
  opts.warmup = request.warmup;
  opts.iterations = request.iterations;
  opts.runs = request.runs;
  auto counter = telemetry.energy_counter();
  if (counter.available)
    opts.energy = bench::EnergySource{counter.name, counter.joules};
  else
    opts.no_energy_reason = counter.reason;
  opts.progress = [](const std::string& line) { log::info("agent", "benchmark: " + line); };

  auto result = bench::run_benchmark(store.path_of(active->ref), opts);
  result.model = active->ref.name;
  nlohmann::json row = row_json(result);
  nlohmann::json energy =
      counter.available ? nlohmann::json{{"available", result.energy_avg_mwh.has_value()}, {"source", counter.name}}
                        : nlohmann::json{{"available", false}, {"reason", counter.reason}};
  return {{"model", active->ref.name},
          {"sha256", active->ref.sha256},
          {"backend", result.backend},
          {"device", device.value("hostname", nlohmann::json())},
          {"row", row},
          {"energy", energy},
          {"notes", result.notes}};
}

}  // namespace edgeml::agent
