#include "bench/rows.hpp"

#include "common/csv.hpp"
#include "common/files.hpp"
#include "common/strings.hpp"

namespace edgeml::bench {

namespace {

std::string number(double v) { return format_number(v, 9); }
std::string number(const std::optional<double>& v) { return v ? number(*v) : ""; }  // empty, never 0

std::string joined_notes(const BenchResult& r) {
  std::string s;
  for (const auto& n : r.notes) s += (s.empty() ? "" : "; ") + n;
  return s;
}

std::vector<std::string> cells(const BenchResult& r) {
  auto run_energy = [&](size_t i) { return i < r.energy_runs_mwh.size() ? number(r.energy_runs_mwh[i]) : ""; };
  return {r.model,
          number(r.params_m),
          number(r.gflops),
          number(r.gmacs),
          number(r.size_mb),
          r.input_size,
          r.input_resolution,
          std::to_string(r.runs),
          std::to_string(r.iterations_per_measurement),
          number(r.latency_avg_s),
          number(r.latency_std_s),
          number(r.throughput_iter_per_s),
          number(r.energy_avg_mwh),
          number(r.energy_std_mwh),
          run_energy(0),
          run_energy(1),
          run_energy(2),
          r.backend,
          std::to_string(r.threads),
          r.cpu_model,
          number(r.latency_p50_s),
          number(r.latency_p99_s),
          number(r.peak_rss_mb),
          joined_notes(r)};
}

}  // namespace

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> columns = {
      "model", "params_m", "gflops", "gmacs", "size_mb", "input_size", "input_resolution_actual", "runs",
      "iterations_per_measurement", "latency_avg_s", "latency_std_s", "throughput_iter_per_s", "energy_avg_mwh",
      "energy_std_mwh", "energy_run1_mwh", "energy_run2_mwh", "energy_run3_mwh",
      // ours
      "backend", "threads", "cpu_model", "latency_p50_s", "latency_p99_s", "peak_rss_mb", "notes"};
  return columns;
}

std::string to_csv(const std::vector<BenchResult>& results) {
  auto line = [](const std::vector<std::string>& fields) {
    std::string s;
    for (size_t i = 0; i < fields.size(); ++i) s += (i ? "," : "") + csv_escape(fields[i]);
    return s + "\n";
  };
  std::string out = line(csv_columns());
  for (const auto& r : results) out += line(cells(r));
  return out;
}

void write_csv(const std::filesystem::path& path, const std::vector<BenchResult>& results) {
  write_file_atomic(path, to_csv(results));
}

catalog::ModelRow to_model_row(const BenchResult& r, const std::string& device_type) {
  catalog::ModelRow row;
  row.model = r.model;
  row.device_type = device_type;
  row.source = "bench:" + r.file.filename().string();
  row.params_m = r.params_m;
  row.gflops = r.gflops;
  row.gmacs = r.gmacs;
  row.size_mb = r.size_mb;
  row.input_size = r.input_size;
  row.latency_avg_s = r.latency_avg_s;
  row.latency_std_s = r.latency_std_s;
  row.throughput_iter_per_s = r.throughput_iter_per_s;
  row.energy_avg_mwh = r.energy_avg_mwh;
  row.energy_std_mwh = r.energy_std_mwh;
  row.energy_runs_mwh = r.energy_runs_mwh;
  row.runs = r.runs;
  row.iterations_per_measurement = r.iterations_per_measurement;
  row.backend = r.backend;
  row.cpu_model = r.cpu_model;
  row.threads = r.threads;
  row.notes = joined_notes(r);
  return row;
}

}  // namespace edgeml::bench
