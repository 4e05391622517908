#pragma once
// The catalog as CSV in the seed schema (the original project's columns, both schemas' timing columns, our bench's
// columns) plus where each row came from, so exported rows load back through Catalog::load like any file. Values are
// as measured: a repaired row exports its original cells and names the rule in `repaired` (the loader re-applies it).
#include <string>

#include "catalog/catalog.hpp"

namespace edgeml::catalog {

// Columns after the seed schema's: device_type, source (file|fleet|api), source_file, device, agent_version, sensor,
// measured_at_s, model_sha256, campaign, repaired, flags.
std::string export_csv(const Catalog& catalog, const std::string& device_type = "");

}  // namespace edgeml::catalog
