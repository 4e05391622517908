#pragma once
// Reading one CSV row into a ModelRow by column name. Both schemas of the original project (Jetson: latency and
// throughput per inference, N inferences per measured run; RPi5: duration of a run, no latency) and our own bench's
// extra columns are understood; unknown columns are ignored; missing optional ones stay empty.
#include "catalog/model_row.hpp"
#include "common/csv.hpp"

namespace edgeml::catalog {

// The columns parse_row reads (both schemas plus our bench's), in the order an export writes them.
const std::vector<std::string>& row_columns();

// Cells that are present but not valid numbers get an invalid_value flag naming the column; the row is kept.
ModelRow parse_row(const CsvTable& table, size_t index, const std::string& device_type, const std::string& source);

}  // namespace edgeml::catalog
