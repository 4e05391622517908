// A catalog exported as CSV, and a run-time row stored by the row store, read back as the same rows with the same
// flags -- the promise of csv_export.hpp and row_store.hpp that fuzz/csv_catalog_fuzzer checks on every input. Each
// case here is an input that fuzzer found breaking it, reduced to the cells that matter.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "catalog/catalog.hpp"
#include "catalog/csv_export.hpp"
#include "catalog/row_columns.hpp"
#include "catalog/row_import.hpp"
#include "catalog/row_store.hpp"
#include "common/csv.hpp"

using namespace edgeml;
using namespace edgeml::catalog;

namespace {

const std::string kRpi5Header =
    "model,params_m,gflops,gmacs,size_mb,input_size,runs,energy_avg_mwh,duration_avg_s,energy_run1_mwh,"
    "energy_run2_mwh,energy_run3_mwh,duration_run1_s,duration_run2_s,duration_run3_s\n";

Catalog load_text(const std::string& csv, const std::string& device) {
  Catalog c;
  c.load_table(parse_csv(csv), "test.csv", device, false);
  return c;
}

std::multiset<std::string> flag_names(const ModelRow& r) {
  std::multiset<std::string> out;
  for (const auto& f : r.flags) out.insert(f.name + ": " + f.detail);
  return out;
}

// Export, load the export, and compare row by row.
void expect_export_reads_back(const Catalog& c) {
  const std::string csv = export_csv(c);
  Catalog back = load_text(csv, "unused");
  ASSERT_EQ(back.rows().size(), c.rows().size()) << csv;
  for (size_t i = 0; i < c.rows().size(); ++i) {
    EXPECT_EQ(back.rows()[i].model, c.rows()[i].model);
    EXPECT_EQ(flag_names(back.rows()[i]), flag_names(c.rows()[i])) << csv;
    EXPECT_EQ(row_cells(back.rows()[i]), row_cells(c.rows()[i])) << csv;
  }
}

TEST(ExportRoundTrip, AnInvalidOptionalCellStaysInvalid) {
  // Found by the fuzzer in the RPi5 file: energy_run3_mwh overwritten with bytes that are not a number. The row was
  // flagged invalid_value, the export wrote the cell empty, and the export loaded back as a clean row -- one that
  // would train a predictor.
  Catalog c = load_text(kRpi5Header +
                            "m,2.543,0.111,0.056,9.82,3x224x224,3,8.071931,12.175008,8.001897,8.059917,"
                            "\x01x,12.1,12.2,12.3\n",
                        "rpi5");
  ASSERT_TRUE(c.rows()[0].has_flag(kFlagInvalidValue));
  expect_export_reads_back(c);
}

TEST(ExportRoundTrip, InvalidCellsKeepTheirPlaceInARunSeries) {
  // run 2 invalid, runs 1 and 3 valid; a negative count; a fraction where a count belongs.
  Catalog c = load_text(kRpi5Header + "m,1,0.2,0.1,4,3x224x224,2.5,10,10,9.9,abc,10.1,-1,10,10\n", "rpi5");
  ASSERT_EQ(c.rows()[0].energy_runs_mwh, (std::vector<double>{9.9, 10.1}));
  expect_export_reads_back(c);
  const auto cells = row_cells(c.rows()[0]);
  auto cell = [&](const std::string& column) {
    for (const auto& [k, v] : cells)
      if (k == column) return v;
    return std::string("?");
  };
  EXPECT_EQ(cell("energy_run1_mwh"), "9.9");
  EXPECT_EQ(cell("energy_run2_mwh"), "abc");
  EXPECT_EQ(cell("energy_run3_mwh"), "10.1");
  EXPECT_EQ(cell("duration_run1_s"), "-1");
  EXPECT_EQ(cell("runs"), "2.5");
}

TEST(ExportRoundTrip, AStoredRowWithAnInvalidCellReloadsFlagged) {
  // The same loss through the row store: an API row's invalid optional cell vanished from its record, so after a
  // restart the row came back clean.
  Provenance api;
  api.origin = kOriginApi;
  auto batch = rows_from_csv(kRpi5Header + "m,1,0.2,0.1,4,3x224x224,3,10,10,10,10,ten,10,10,10\n", "rpi5", api);
  ASSERT_EQ(batch.rows.size(), 1u);
  const ModelRow back = row_from_record(row_record(batch.rows[0]));
  EXPECT_EQ(row_cells(back), row_cells(batch.rows[0]));
  Catalog a, b;
  a.add(batch.rows[0]);
  b.add(back);
  EXPECT_TRUE(b.rows()[0].has_flag(kFlagInvalidValue));
  EXPECT_EQ(flag_names(b.rows()[0]), flag_names(a.rows()[0]));
}

TEST(ExportRoundTrip, ACellWithBytesThatAreNotUtf8IsKeptAsValidText) {
  // Found by the fuzzer on the Jetson benchmark file itself: deit_tiny_patch16_224's energy_avg_mwh holds raw binary
  // bytes. Kept as read, the invalid cell made row_record (nlohmann::json::dump) throw on invalid UTF-8, so the row
  // could not be stored nor any answer holding its flag be written; the bytes that are not UTF-8 now read as U+FFFD.
  using namespace std::string_literals;
  const std::string header =
      "model,params_m,gflops,gmacs,size_mb,input_size,runs,iterations_per_measurement,"
      "latency_avg_s,energy_avg_mwh,energy_std_mwh,notes\n";
  const std::string row =
      "m\xff,5.68,2.16,1.08,21.92,3x224x224,3,500,0.03697298,31.1,31.095361\xf4\x01\x00\x00.1,"
      "\xc0\n"s;
  Catalog c = load_text(header + row, "jetson_nano");
  ASSERT_EQ(c.rows().size(), 1u);
  EXPECT_TRUE(c.rows()[0].has_flag(kFlagInvalidValue));
  EXPECT_EQ(c.rows()[0].model, "m\xEF\xBF\xBD");
  expect_export_reads_back(c);

  Provenance api;
  api.origin = kOriginApi;
  auto batch = rows_from_csv(header + row, "jetson_nano", api);
  ASSERT_EQ(batch.rows.size(), 1u);
  const ModelRow back = row_from_record(row_record(batch.rows[0]));
  EXPECT_EQ(row_cells(back), row_cells(batch.rows[0]));
  EXPECT_EQ(back.model, "m\xEF\xBF\xBD");
}

}  // namespace
