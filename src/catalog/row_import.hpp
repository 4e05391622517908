#pragma once
// Rows measured elsewhere, taken in at run time: a JSON batch ({"device_type": "...", "rows": [{...}, ...]}, cells
// named by either CSV schema's columns) or a CSV upload. Each row goes through the same reader as a file row
// (csv_schema), so it is validated, flagged and repaired the same way once added to a Catalog.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model_row.hpp"

namespace edgeml::catalog {

inline constexpr size_t kMaxRowsPerBatch = 10000;

struct RowBatch {
  std::string device_type;
  std::vector<ModelRow> rows;  // not yet validated: Catalog::add does that
};

// body: {"device_type": "rpi5", "rows": [{"model": ..., "params_m": ..., ...}], "provenance": {...}?}.
// Cells: numbers, numeric strings, strings for text columns, null = absent. Throws FieldError naming the field
// ("device_type", "rows", "rows[3].gflops", "provenance.threads") for a malformed batch, an unknown column or more
// than kMaxRowsPerBatch rows. `base` is the provenance every row gets (origin, device, ...); the body's
// "provenance" object fills what base leaves empty.
RowBatch rows_from_json(const nlohmann::json& body, const Provenance& base);

// A CSV upload: header + rows, by column name (unknown columns ignored, as for files). FieldError("csv") when it has
// no 'model' column, no rows, or too many.
RowBatch rows_from_csv(std::string_view csv, const std::string& device_type, const Provenance& base);

// Provenance fields from JSON (origin is never taken from the body: the caller states it).
void read_provenance(const nlohmann::json& j, Provenance& p, const std::string& field_prefix);

}  // namespace edgeml::catalog
