#include "catalog/catalog.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "catalog/csv_schema.hpp"
#include "catalog/validation.hpp"
#include "common/csv.hpp"
#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::catalog {

namespace fs = std::filesystem;

DataSource DataSource::parse(const std::string& arg) {
  DataSource s;
  auto eq = arg.find('=');
  // "DEVICE=PATH": only when the part before '=' is a plain identifier (a path may contain '=' too).
  if (eq != std::string::npos && eq > 0 && arg.find('/') > eq) {
    s.device_type = normalize_device_type(arg.substr(0, eq));
    s.path = arg.substr(eq + 1);
  } else {
    s.path = arg;
  }
  return s;
}

size_t Catalog::load(const DataSource& source) {
  if (fs::is_directory(source.path)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(source.path))
      if (e.is_regular_file() && to_lower(e.path().extension().string()) == ".csv") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    size_t n = 0;
    for (const auto& f : files)
      n += load_table(read_csv(f), f, source.device_type ? *source.device_type : device_type_from_filename(f.string()),
                      source.device_type.has_value());
    return n;
  }
  if (!fs::exists(source.path)) throw std::runtime_error(source.path.string() + ": no such file or folder");
  return load_table(read_csv(source.path), source.path,
                    source.device_type ? *source.device_type : device_type_from_filename(source.path.string()),
                    source.device_type.has_value());
}

size_t Catalog::load_file(const fs::path& file, const std::string& device_type) {
  return load_table(read_csv(file), file, device_type, true);
}

size_t Catalog::load_table(const CsvTable& table, const fs::path& file, const std::string& device_type,
                           bool device_named) {
  if (!table.column("model")) throw std::runtime_error(file.string() + ": no 'model' column in the header");
  // An exported catalog names each row's device type and campaign; a DEVICE= given by the caller wins.
  const auto device_column = table.column("device_type"), campaign_column = table.column("campaign");
  for (size_t i = 0; i < table.rows.size(); ++i) {
    std::string device = device_type;
    if (!device_named && device_column && !trim(table.rows[i][*device_column]).empty()) {
      try {
        device = normalize_device_type(table.rows[i][*device_column]);
      } catch (const FieldError& e) {
        throw std::runtime_error(file.string() + " line " + std::to_string(table.row_lines[i]) + ": " + e.what());
      }
    }
    ModelRow row = parse_row(table, i, device, file.string());
    if (campaign_column && !trim(table.rows[i][*campaign_column]).empty())
      row.provenance.campaign = std::string(trim(table.rows[i][*campaign_column]));
    add(std::move(row));
  }
  files_.push_back(file.string());
  return table.rows.size();
}

void Catalog::add(ModelRow row) {
  validate(row);
  rows_.push_back(std::move(row));
}

void Catalog::validate(ModelRow& row) const { validate_row(row, profile(row.device_type), thresholds_); }

const DeviceProfile& Catalog::profile(const std::string& device_type) const {
  auto it = profiles_.find(device_type);
  if (it == profiles_.end()) it = profiles_.emplace(device_type, default_profile(device_type)).first;
  return it->second;
}

std::vector<const ModelRow*> Catalog::rows_for(const std::string& device_type) const {
  std::vector<const ModelRow*> out;
  for (const auto& r : rows_)
    if (device_type.empty() || r.device_type == device_type) out.push_back(&r);
  return out;
}

std::vector<std::string> Catalog::device_types() const {
  std::set<std::string> s;
  for (const auto& r : rows_) s.insert(r.device_type);
  return {s.begin(), s.end()};
}

bool Catalog::has_device(const std::string& device_type) const {
  return std::any_of(rows_.begin(), rows_.end(), [&](const ModelRow& r) { return r.device_type == device_type; });
}

const ModelRow* Catalog::find(const std::string& model, const std::string& device_type) const {
  for (const auto& r : rows_)
    if (r.model == model && (device_type.empty() || r.device_type == device_type)) return &r;
  return nullptr;
}

nlohmann::json Catalog::report(size_t examples) const {
  nlohmann::json devices = nlohmann::json::object(), flags = nlohmann::json::object();
  nlohmann::json repairs = nlohmann::json::object(), origins = nlohmann::json::object();
  auto bump = [](nlohmann::json& j, const char* key) { j[key] = j[key].get<int>() + 1; };
  for (const auto& r : rows_) {
    auto& d = devices[r.device_type];
    if (d.is_null()) d = {{"rows", 0}, {"clean", 0}, {"flagged", 0}, {"repaired", 0}, {"energy_per_run_only", 0}};
    bump(d, "rows");
    bump(d, r.clean() ? "clean" : "flagged");
    if (r.repaired()) bump(d, "repaired");
    if (r.energy_per_run_only()) bump(d, "energy_per_run_only");
    origins[r.provenance.origin] = origins.value(r.provenance.origin, 0) + 1;
    for (const auto& rep : r.repairs) {
      auto& entry = repairs[rep.rule];
      if (entry.is_null()) entry = {{"rows", 0}, {"examples", nlohmann::json::array()}};
      bump(entry, "rows");
      if (entry["examples"].size() < examples)
        entry["examples"].push_back(
            {{"model", r.model}, {"device_type", r.device_type}, {"line", r.line}, {"detail", rep.detail}});
    }
    std::set<std::string> seen;  // a row counts once per flag even with two invalid columns
    for (const auto& f : r.flags) {
      auto& entry = flags[f.name];
      if (entry.is_null()) entry = {{"rows", 0}, {"examples", nlohmann::json::array()}};
      if (seen.insert(f.name).second) entry["rows"] = entry["rows"].get<int>() + 1;
      if (entry["examples"].size() < examples)
        entry["examples"].push_back(
            {{"model", r.model}, {"device_type", r.device_type}, {"line", r.line}, {"detail", f.detail}});
    }
  }
  size_t clean = std::count_if(rows_.begin(), rows_.end(), [](const ModelRow& r) { return r.clean(); });
  nlohmann::json windows = nlohmann::json::object();
  for (const auto& d : device_types())
    windows[d] = {{"power_min_w", profile(d).power_min_w}, {"power_max_w", profile(d).power_max_w}};
  return {{"files", files_}, {"rows", rows_.size()}, {"clean_rows", clean},      {"devices", devices},
          {"flags", flags},  {"repairs", repairs},   {"power_windows", windows}, {"origins", origins}};
}

}  // namespace edgeml::catalog
