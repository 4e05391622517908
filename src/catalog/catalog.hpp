#pragma once
// The benchmark catalog: every row of every loaded file, per device type, with its flags, and a load report.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/device_profile.hpp"
#include "catalog/model_row.hpp"
#include "common/csv.hpp"

namespace edgeml::catalog {

struct Thresholds {
  double flops_macs_tolerance = 0.10;  // |gflops - 2*gmacs| / (2*gmacs)
  double unstable_spread = 0.10;       // sample std of the runs / their mean
  double avg_mismatch = 0.01;          // |avg - mean(runs)| / mean(runs)
};

// "DEVICE=PATH" or "PATH" (the device then comes from each file's name). PATH is a CSV file or a folder of CSVs.
struct DataSource {
  std::filesystem::path path;
  std::optional<std::string> device_type;
  static DataSource parse(const std::string& arg);
};

class Catalog {
 public:
  Catalog() = default;
  explicit Catalog(Thresholds t) : thresholds_(t) {}

  // Loads one file or every *.csv in a folder (sorted by name). Throws std::runtime_error naming the file when a file
  // cannot be read or has no 'model' column. Returns the number of rows added.
  size_t load(const DataSource& source);
  // A file of one device type; a 'device_type' column (an exported catalog) is not read here.
  size_t load_file(const std::filesystem::path& file, const std::string& device_type);
  // A file already parsed (text held in memory: an upload, a fuzzing input); `file` names it in rows and errors.
  // device_named: the caller gave DEVICE=, so a 'device_type' column does not override it. Throws like load().
  size_t load_table(const CsvTable& table, const std::filesystem::path& file, const std::string& device_type,
                    bool device_named);
  // Adds a row (validates it, computes derived fields). Used by load and by our own bench results.
  void add(ModelRow row);

  void set_profile(const DeviceProfile& p) { profiles_[p.device_type] = p; }
  const DeviceProfile& profile(const std::string& device_type) const;

  const std::vector<ModelRow>& rows() const { return rows_; }
  std::vector<const ModelRow*> rows_for(const std::string& device_type) const;
  std::vector<std::string> device_types() const;
  bool has_device(const std::string& device_type) const;
  // First row with this exact model name on this device (or on any device when device_type is empty).
  const ModelRow* find(const std::string& model, const std::string& device_type = "") const;
  const std::vector<std::string>& files() const { return files_; }

  // Rows per device, rows per flag (with up to `examples` examples each), files loaded.
  nlohmann::json report(size_t examples = 5) const;

 private:
  void validate(ModelRow& row) const;
  Thresholds thresholds_;
  std::vector<ModelRow> rows_;
  std::vector<std::string> files_;
  mutable std::map<std::string, DeviceProfile> profiles_;
};

// The row as the API shows it (original field names kept: model, energy_mwh, latency_avg_s, ...), with `source`
// (file | fleet | api), `source_file`, `repaired` (rule names) and `repairs` (rule, detail, original values).
nlohmann::json row_to_json(const ModelRow& row);
nlohmann::json provenance_to_json(const Provenance& p);

}  // namespace edgeml::catalog
