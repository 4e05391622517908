#pragma once
// Benchmark results as rows: the Jetson CSV schema of the original system plus our columns (backend, threads,
// cpu_model, latency_p50_s, latency_p99_s, peak_rss_mb, notes), so the catalog loads them like any other file; and as
// a catalog::ModelRow for the agent's POST /benchmark.
#include <filesystem>
#include <string>
#include <vector>

#include "bench/benchmark.hpp"
#include "catalog/model_row.hpp"

namespace edgeml::bench {

const std::vector<std::string>& csv_columns();
std::string to_csv(const std::vector<BenchResult>& results);  // header + one line per result
// Written with write_file_atomic: a crash leaves the previous file, never half a table.
void write_csv(const std::filesystem::path& path, const std::vector<BenchResult>& results);

catalog::ModelRow to_model_row(const BenchResult& result, const std::string& device_type);

}  // namespace edgeml::bench
