#include "catalog/csv_export.hpp"

#include <cstdio>

#include "catalog/row_columns.hpp"
#include "common/csv.hpp"

namespace edgeml::catalog {

std::string export_csv(const Catalog& catalog, const std::string& device_type) {
  auto line = [](const std::vector<std::string>& fields) {
    std::string s;
    for (size_t i = 0; i < fields.size(); ++i) s += (i ? "," : "") + csv_escape(fields[i]);
    return s + "\n";
  };
  std::vector<std::string> header;
  bool have_header = false;
  std::string out;
  for (const auto* r : catalog.rows_for(device_type)) {
    auto cells = row_cells(*r);
    if (!have_header) {
      for (const auto& [column, cell] : cells) header.push_back(column);
      for (const char* extra : {"device_type", "source", "source_file", "device", "agent_version", "sensor",
                                "measured_at_s", "model_sha256", "campaign", "repaired", "flags"})
        header.push_back(extra);
      out += line(header);
      have_header = true;
    }
    std::vector<std::string> fields;
    for (auto& [column, cell] : cells) fields.push_back(std::move(cell));
    const auto& p = r->provenance;
    char at[40] = "";
    if (p.measured_at_s) std::snprintf(at, sizeof at, "%.3f", *p.measured_at_s);
    std::string repaired, flags;
    for (const auto& rep : r->repairs) repaired += (repaired.empty() ? "" : ";") + rep.rule;
    for (const auto& f : r->flags)
      if (flags.find(f.name) == std::string::npos) flags += (flags.empty() ? "" : ";") + f.name;
    for (const std::string& v : {r->device_type, p.origin, r->source, p.device, p.agent_version, p.sensor,
                                 std::string(at), p.model_sha256, p.campaign, repaired, flags})
      fields.push_back(v);
    out += line(fields);
  }
  if (!have_header) {  // no rows: the header alone, so the file is still a valid table
    for (const auto& c : row_cells(ModelRow{})) header.push_back(c.first);
    for (const char* extra : {"device_type", "source", "source_file", "device", "agent_version", "sensor",
                              "measured_at_s", "model_sha256", "campaign", "repaired", "flags"})
      header.push_back(extra);
    out += line(header);
  }
  return out;
}

}  // namespace edgeml::catalog
