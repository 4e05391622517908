// The CSV catalog loader, as `edgeml catalog check`, the controller's start-up and a CSV upload use it: RFC 4180
// parsing (common/csv), both benchmark schemas read by column name (catalog/csv_schema: the Jetson schema with
// latency per inference and N per run, the RPi5 schema with a run's duration), validation, flags and repairs
// (Catalog::add), the load report, the CSV export, the upload path (row_import: rows_from_csv) and the persisted
// record of an uploaded row (row_store).
//
// Input: byte 0 picks the device type the file is loaded for (a known profile or an unknown one) and whether the
// caller named it (DEVICE=PATH, so a device_type column does not override it); the rest is the file.
//
// Promises checked:
//   - loading fails only with std::runtime_error (what Catalog::load documents; edgeml::Error is one), an upload only
//     with FieldError;
//   - an exported catalog loads back with the same rows: model, device type and flags (csv_export.hpp: "exported rows
//     load back through Catalog::load like any file");
//   - an uploaded row's persisted record reads back as the same row (row_store.hpp).
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/csv_export.hpp"
#include "catalog/row_columns.hpp"
#include "catalog/row_import.hpp"
#include "catalog/row_store.hpp"
#include "common/csv.hpp"
#include "common/error.hpp"
#include "fuzz_support.hpp"

namespace {

using edgeml::catalog::Catalog;
using edgeml::catalog::ModelRow;
using edgeml::fuzz::expect;

std::set<std::string> flag_names(const ModelRow& row) {
  std::set<std::string> out;
  for (const auto& f : row.flags) out.insert(f.name);
  return out;
}

std::string describe(const ModelRow& row) {
  std::string s = "'" + row.model + "' (" + row.device_type + ", line " + std::to_string(row.line) + ") flags:";
  for (const auto& f : flag_names(row)) s += " " + f;
  return s;
}

// Catalog::load's path on text already in memory; nullopt when the file is refused.
std::optional<Catalog> load(std::string_view text, const std::string& device_type, bool device_named) {
  try {
    Catalog catalog;
    catalog.load_table(edgeml::parse_csv(text), "fuzz.csv", device_type, device_named);
    return catalog;
  } catch (const std::runtime_error& e) {
    edgeml::fuzz::note(std::string("load refused: ") + e.what());
    return std::nullopt;  // documented: unterminated quote, no 'model' column, a device_type cell that is no name
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "Catalog::load_table");
  }
}

void check_export_loads_back(const Catalog& catalog) {
  const std::string exported = edgeml::catalog::export_csv(catalog);
  auto back = load(exported, "unnamed", false);
  expect(back.has_value(), "the export of a catalog does not load:\n" + exported);
  expect(back->rows().size() == catalog.rows().size(), "the export has " + std::to_string(back->rows().size()) +
                                                           " rows, the catalog " +
                                                           std::to_string(catalog.rows().size()) + ":\n" + exported);
  for (size_t i = 0; i < catalog.rows().size(); ++i) {
    const ModelRow &a = catalog.rows()[i], &b = back->rows()[i];
    expect(a.model == b.model && a.device_type == b.device_type && flag_names(a) == flag_names(b),
           "row " + std::to_string(i) + " changed through export: " + describe(a) + " -> " + describe(b) + "\n" +
               exported);
  }
}

void check_upload(std::string_view text, const std::string& device_type) {
  edgeml::catalog::Provenance base;
  base.origin = edgeml::catalog::kOriginApi;
  base.device = "fuzz-device";
  edgeml::catalog::RowBatch batch;
  try {
    batch = edgeml::catalog::rows_from_csv(text, device_type, base);
  } catch (const edgeml::FieldError& e) {
    edgeml::fuzz::note(std::string("upload refused: ") + e.what());
    return;  // documented: not CSV, no 'model' column, no rows, too many rows
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "rows_from_csv");
  }
  Catalog catalog;
  for (const auto& row : batch.rows) {
    // The record LiveCatalog persists for an uploaded row, and the row it reads back after a restart.
    std::string record;
    try {
      record = edgeml::catalog::row_record(row);
    } catch (const std::exception& e) {
      edgeml::fuzz::undocumented(e, "row_record");
    }
    ModelRow back;
    try {
      back = edgeml::catalog::row_from_record(record);
    } catch (const std::exception& e) {
      edgeml::fuzz::undocumented(e, "row_from_record of a record row_record wrote");
    }
    expect(back.model == row.model && edgeml::catalog::row_cells(back) == edgeml::catalog::row_cells(row),
           "an uploaded row does not read back from its record: " + record);
    catalog.add(row);
  }
  catalog.report();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* const kDevices[] = {"jetson_nano", "rpi5", "mybox"};
  const std::string device = kDevices[data[0] % 3];
  const bool device_named = (data[0] / 3) % 2 == 1;
  const std::string_view text = edgeml::fuzz::as_text(data + 1, size - 1);

  if (auto catalog = load(text, device, device_named)) {
    edgeml::fuzz::note("loaded " + std::to_string(catalog->rows().size()) + " rows");
    catalog->report();
    check_export_loads_back(*catalog);
  }
  check_upload(text, device);
  return 0;
}
