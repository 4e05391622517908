// POST /benchmark on src/bench: the active model's stored file is benchmarked in a runtime of its own, and the result
// comes back as a catalog row (the bench's CSV columns, so the controller's catalog reads it like any other row).
#include "agent/benchmark_service.hpp"

#include "bench/benchmark.hpp"
#include "bench/rows.hpp"
#include "common/csv.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

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
  auto table = parse_csv(bench::to_csv({result}));
  nlohmann::json row = nlohmann::json::object();
  if (!table.rows.empty())
    for (size_t i = 0; i < table.header.size(); ++i) {
      const auto& cell = table.rows[0][i];
      if (cell.empty())
        row[table.header[i]] = nullptr;  // unavailable (the notes say why), never 0
      else if (auto n = parse_double(cell))
        row[table.header[i]] = *n;
      else
        row[table.header[i]] = cell;
    }
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
