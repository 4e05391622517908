#include "catalog/csv_schema.hpp"

#include <cmath>
#include <filesystem>

#include "common/strings.hpp"
#include "common/utf8.hpp"

namespace edgeml::catalog {

namespace {

class RowReader {
 public:
  RowReader(const CsvTable& t, size_t i, ModelRow& row) : t_(t), cells_(t.rows[i]), row_(row) {}

  std::string text(const char* column) const {
    auto c = t_.column(column);
    return c ? valid_utf8(trim(cells_[*c])) : std::string();  // rows are written as JSON (answers, the row store)
  }

  // Empty or absent cell -> nullopt. Present but not a finite non-negative number -> invalid_value flag.
  std::optional<double> number(const char* column) {
    auto c = t_.column(column);
    if (!c) return std::nullopt;
    // As shown in the flag and kept for the export; valid UTF-8 so both can be written as JSON (the Jetson file has a
    // cell with raw binary bytes).
    const std::string cell = valid_utf8(trim(cells_[*c]));
    if (cell.empty()) return std::nullopt;
    auto v = parse_double(cell);
    if (!v) {
      row_.add_flag(kFlagInvalidValue, std::string("column ") + column + ": '" + cell + "' is not a number");
      row_.invalid_cells.emplace_back(column, cell);
      return std::nullopt;
    }
    if (*v < 0) {
      row_.add_flag(kFlagInvalidValue, std::string("column ") + column + ": negative value " + format_number(*v));
      row_.invalid_cells.emplace_back(column, cell);
      return std::nullopt;
    }
    return v;
  }

  std::optional<int> integer(const char* column) {
    auto v = number(column);
    if (!v) return std::nullopt;
    if (std::floor(*v) != *v || *v > 1e9) {
      row_.add_flag(kFlagInvalidValue,
                    std::string("column ") + column + ": '" + format_number(*v) + "' is not a count");
      row_.invalid_cells.emplace_back(column, valid_utf8(trim(cells_[*t_.column(column)])));
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  std::vector<double> series(const char* prefix, const char* suffix) {
    std::vector<double> out;
    for (int k = 1; k <= 10; ++k) {
      std::string col = std::string(prefix) + std::to_string(k) + suffix;
      if (!t_.column(col)) break;
      if (auto v = number(col.c_str())) out.push_back(*v);
    }
    return out;
  }

 private:
  const CsvTable& t_;
  const std::vector<std::string>& cells_;
  ModelRow& row_;
};

}  // namespace

const std::vector<std::string>& row_columns() {
  static const std::vector<std::string> k{"model",
                                          "params_m",
                                          "gflops",
                                          "gmacs",
                                          "size_mb",
                                          "input_size",
                                          "runs",
                                          "iterations_per_measurement",
                                          "latency_avg_s",
                                          "latency_std_s",
                                          "throughput_iter_per_s",
                                          "energy_avg_mwh",
                                          "energy_std_mwh",
                                          "energy_run1_mwh",
                                          "energy_run2_mwh",
                                          "energy_run3_mwh",
                                          "duration_avg_s",
                                          "duration_run1_s",
                                          "duration_run2_s",
                                          "duration_run3_s",
                                          "backend",
                                          "threads",
                                          "cpu_model",
                                          "notes"};
  return k;
}

ModelRow parse_row(const CsvTable& table, size_t index, const std::string& device_type, const std::string& source) {
  ModelRow row;
  row.device_type = device_type;
  row.source = source;
  row.line = table.row_lines[index];
  RowReader r(table, index, row);

  row.model = r.text("model");
  row.params_m = r.number("params_m");
  row.gflops = r.number("gflops");
  row.gmacs = r.number("gmacs");
  row.size_mb = r.number("size_mb");
  row.input_size = r.text("input_size");
  row.runs = r.integer("runs");
  row.iterations_per_measurement = r.integer("iterations_per_measurement");
  row.latency_avg_s = r.number("latency_avg_s");
  row.latency_std_s = r.number("latency_std_s");
  row.throughput_iter_per_s = r.number("throughput_iter_per_s");
  row.energy_avg_mwh = r.number("energy_avg_mwh");
  row.energy_std_mwh = r.number("energy_std_mwh");
  row.energy_runs_mwh = r.series("energy_run", "_mwh");
  row.duration_avg_s = r.number("duration_avg_s");
  row.duration_runs_s = r.series("duration_run", "_s");
  row.backend = r.text("backend");
  row.cpu_model = r.text("cpu_model");
  row.notes = r.text("notes");
  row.threads = r.integer("threads");
  row.provenance.campaign = std::filesystem::path(source).filename().string();
  return row;
}

}  // namespace edgeml::catalog
