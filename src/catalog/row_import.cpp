#include "catalog/row_import.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "catalog/csv_schema.hpp"
#include "catalog/device_profile.hpp"
#include "common/csv.hpp"
#include "common/error.hpp"
#include "common/json_fields.hpp"

namespace edgeml::catalog {

namespace {

std::string source_of(const Provenance& p) {
  return p.origin + ":" + (p.device.empty() ? std::string("unnamed") : p.device);
}

std::string json_cell(const nlohmann::json& v, const std::string& field) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) {
    char buf[40];
    auto res = std::to_chars(buf, buf + sizeof buf, v.get<double>());  // shortest text that reads back exactly
    return std::string(buf, res.ptr);
  }
  throw FieldError(field, field + " must be a number, a string or null");
}

void finish(ModelRow& row, const Provenance& p) {
  row.provenance.origin = p.origin;
  row.provenance.device = p.device;
  row.provenance.agent_version = p.agent_version;
  row.provenance.sensor = p.sensor;
  row.provenance.model_sha256 = p.model_sha256;
  row.provenance.measured_at_s = p.measured_at_s;
  row.provenance.campaign = p.campaign.empty() ? source_of(p) : p.campaign;
  // backend/threads: the row's own columns win; the batch's provenance fills them otherwise.
  row.provenance.backend = row.backend.empty() ? p.backend : row.backend;
  row.provenance.threads = row.threads ? row.threads : p.threads;
}

}  // namespace

void read_provenance(const nlohmann::json& j, Provenance& p, const std::string& prefix) {
  if (!j.is_object()) throw FieldError(prefix, prefix + " must be an object");
  static const char* known[] = {"device",  "agent_version", "backend",      "sensor",
                                "threads", "measured_at_s", "model_sha256", "campaign"};
  for (const auto& [key, value] : j.items())
    if (std::find(std::begin(known), std::end(known), key) == std::end(known))
      throw FieldError(prefix + "." + key, "unknown provenance field '" + key + "'");
  auto text = [&](const char* key, std::string& out) {
    if (auto v = optional_string(j, key, 256); v && out.empty()) out = *v;
  };
  text("device", p.device);
  text("agent_version", p.agent_version);
  text("backend", p.backend);
  text("sensor", p.sensor);
  text("model_sha256", p.model_sha256);
  text("campaign", p.campaign);
  if (auto t = optional_number(j, "threads", {1, 1024}); t && !p.threads) {
    if (*t != static_cast<int>(*t)) throw FieldError(prefix + ".threads", "threads must be an integer");
    p.threads = static_cast<int>(*t);
  }
  if (auto t = optional_number(j, "measured_at_s", {0, 1e11}); t && !p.measured_at_s) p.measured_at_s = *t;
}

RowBatch rows_from_json(const nlohmann::json& body, const Provenance& base) {
  if (!body.is_object()) throw FieldError("body", "body must be an object with device_type and rows");
  RowBatch batch;
  batch.device_type = normalize_device_type(require_string(body, "device_type", 64));
  for (const auto& [key, value] : body.items())
    if (key != "device_type" && key != "rows" && key != "provenance")
      throw FieldError(key, "unknown field '" + key + "' (device_type, rows, provenance)");
  Provenance p = base;
  if (body.contains("provenance")) read_provenance(body["provenance"], p, "provenance");
  if (!body.contains("rows") || !body["rows"].is_array()) throw FieldError("rows", "rows must be an array of objects");
  const auto& rows = body["rows"];
  if (rows.empty()) throw FieldError("rows", "rows is empty");
  if (rows.size() > kMaxRowsPerBatch)
    throw FieldError(
        "rows", "at most " + std::to_string(kMaxRowsPerBatch) + " rows per batch, got " + std::to_string(rows.size()));
  const auto& columns = row_columns();
  CsvTable table;
  table.header = columns;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string at = "rows[" + std::to_string(i) + "]";
    if (!rows[i].is_object()) throw FieldError(at, at + " must be an object");
    std::vector<std::string> cells(columns.size());
    for (const auto& [key, value] : rows[i].items()) {
      if (key == "input_resolution_actual") continue;  // a seed-schema column the catalog does not keep
      auto it = std::find(columns.begin(), columns.end(), key);
      if (it == columns.end())
        throw FieldError(at + "." + key, "unknown column '" + key + "' (columns of the benchmark CSV schemas)");
      cells[static_cast<size_t>(it - columns.begin())] = json_cell(value, at + "." + key);
    }
    table.rows.push_back(std::move(cells));
    table.row_lines.push_back(static_cast<int>(i + 1));
  }
  for (size_t i = 0; i < table.rows.size(); ++i) {
    ModelRow row = parse_row(table, i, batch.device_type, source_of(p));
    finish(row, p);
    batch.rows.push_back(std::move(row));
  }
  return batch;
}

RowBatch rows_from_csv(std::string_view csv, const std::string& device_type, const Provenance& base) {
  RowBatch batch;
  batch.device_type = normalize_device_type(device_type);
  CsvTable table;
  try {
    table = parse_csv(csv);
  } catch (const std::exception& e) {
    throw FieldError("csv", e.what());
  }
  if (!table.column("model")) throw FieldError("csv", "no 'model' column in the CSV header");
  if (table.rows.empty()) throw FieldError("csv", "the CSV has a header but no rows");
  if (table.rows.size() > kMaxRowsPerBatch)
    throw FieldError("csv", "at most " + std::to_string(kMaxRowsPerBatch) + " rows per upload, got " +
                                std::to_string(table.rows.size()));
  for (size_t i = 0; i < table.rows.size(); ++i) {
    ModelRow row = parse_row(table, i, batch.device_type, source_of(base));
    finish(row, base);
    batch.rows.push_back(std::move(row));
  }
  return batch;
}

}  // namespace edgeml::catalog
