#include "catalog/row_columns.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "catalog/csv_schema.hpp"

namespace edgeml::catalog {

namespace {

// Round-trip exact, so a persisted row reloads to the same double.
std::string cell(const std::optional<double>& v) {
  if (!v) return "";
  char buf[40];
  auto res = std::to_chars(buf, buf + sizeof buf, *v);  // shortest text that reads back exactly
  return std::string(buf, res.ptr);
}
std::string cell(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }

const std::string* invalid_cell(const ModelRow& r, const std::string& column) {
  for (const auto& [c, text] : r.invalid_cells)
    if (c == column) return &text;
  return nullptr;
}

// The k-th column (1-based) of a run series: the runs that read are kept in order with the invalid cells left out,
// so the value of column k is the next valid run after the invalid cells that came before it.
std::string run_cell(const ModelRow& r, const std::vector<double>& runs, const std::string& prefix,
                     const std::string& suffix, int k) {
  size_t valid_before = 0;
  for (int j = 1; j < k; ++j)
    if (!invalid_cell(r, prefix + std::to_string(j) + suffix)) ++valid_before;
  return valid_before < runs.size() ? cell(std::optional<double>(runs[valid_before])) : "";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> row_cells(const ModelRow& r) {
  std::optional<double> params = r.params_m, gflops = r.gflops;
  for (const auto& rep : r.repairs)
    for (const auto& [column, value] : rep.original) {
      if (column == "params_m") params = value;
      if (column == "gflops") gflops = value;
    }
  // iterations_per_measurement is filled in by validation when a file lacks it; export only what was given.
  const bool n_assumed = std::any_of(r.flags.begin(), r.flags.end(),
                                     [](const Flag& f) { return f.detail.find("N assumed") != std::string::npos; });
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& column : row_columns()) {
    std::string v;
    if (column == "model")
      v = r.model;
    else if (column == "params_m")
      v = cell(params);
    else if (column == "gflops")
      v = cell(gflops);
    else if (column == "gmacs")
      v = cell(r.gmacs);
    else if (column == "size_mb")
      v = cell(r.size_mb);
    else if (column == "input_size")
      v = r.input_size;
    else if (column == "runs")
      v = cell(r.runs);
    else if (column == "iterations_per_measurement")
      v = n_assumed ? "" : cell(r.iterations_per_measurement);
    else if (column == "latency_avg_s")
      v = cell(r.latency_avg_s);
    else if (column == "latency_std_s")
      v = cell(r.latency_std_s);
    else if (column == "throughput_iter_per_s")
      v = cell(r.throughput_iter_per_s);
    else if (column == "energy_avg_mwh")
      v = cell(r.energy_avg_mwh);
    else if (column == "energy_std_mwh")
      v = cell(r.energy_std_mwh);
    else if (column == "energy_run1_mwh")
      v = run_cell(r, r.energy_runs_mwh, "energy_run", "_mwh", 1);
    else if (column == "energy_run2_mwh")
      v = run_cell(r, r.energy_runs_mwh, "energy_run", "_mwh", 2);
    else if (column == "energy_run3_mwh")
      v = run_cell(r, r.energy_runs_mwh, "energy_run", "_mwh", 3);
    else if (column == "duration_avg_s")
      v = cell(r.duration_avg_s);
    else if (column == "duration_run1_s")
      v = run_cell(r, r.duration_runs_s, "duration_run", "_s", 1);
    else if (column == "duration_run2_s")
      v = run_cell(r, r.duration_runs_s, "duration_run", "_s", 2);
    else if (column == "duration_run3_s")
      v = run_cell(r, r.duration_runs_s, "duration_run", "_s", 3);
    else if (column == "backend")
      v = r.backend;
    else if (column == "threads")
      v = cell(r.threads);
    else if (column == "cpu_model")
      v = r.cpu_model;
    else if (column == "notes")
      v = r.notes;
    if (const std::string* text = invalid_cell(r, column)) v = *text;  // as read, so it is flagged again on reload
    out.emplace_back(column, std::move(v));
  }
  return out;
}

}  // namespace edgeml::catalog
