#pragma once
// A row back as the cells it was read from: the values as measured (a repair's original values restored), keyed by
// the CSV column names of csv_schema. Used to persist fleet/API rows (so the same rules re-apply on reload) and to
// export the catalog as CSV in the seed schema.
#include <string>
#include <utility>
#include <vector>

#include "catalog/model_row.hpp"

namespace edgeml::catalog {

// (column, cell) in row_columns() order; absent values are empty cells, never 0.
std::vector<std::pair<std::string, std::string>> row_cells(const ModelRow& row);

}  // namespace edgeml::catalog
