// Rows that arrive while the service runs: a JSON batch or a CSV upload (either schema's columns), validated, flagged
// and repaired like file rows; persisted through the JSON-lines row store and restored after a restart; readers of a
// LiveCatalog snapshot unaffected by concurrent adds; the catalog exported as CSV and read back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "catalog/csv_export.hpp"
#include "catalog/live_catalog.hpp"
#include "catalog/row_import.hpp"
#include "catalog/row_store.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "temp_dir.hpp"

using namespace edgeml;
using namespace edgeml::catalog;
namespace fs = std::filesystem;

namespace {

const std::string kData = EDGEML_SHARED_DATA;

using TempDir = edgeml::testing::TempDir;  // the suite's one temporary-folder helper

Provenance api(const std::string& who = "lab") {
  Provenance p;
  p.origin = kOriginApi;
  p.device = who;
  return p;
}

// 5 W x 500 x 0.01 s = 25 J = 6.944 mWh: a plausible Jetson row.
nlohmann::json jetson_row(const std::string& model, double scale = 1.0) {
  return {{"model", model},
          {"params_m", 1.0 * scale},
          {"gflops", 0.2 * scale},
          {"gmacs", 0.1 * scale},
          {"size_mb", 4 * scale},
          {"iterations_per_measurement", 500},
          {"latency_avg_s", 0.01 * scale},
          {"energy_avg_mwh", 6.944 * scale}};
}

}  // namespace

TEST(RuntimeRows, JsonBatchInEitherSchemaIsValidatedAndFlaggedLikeFileRows) {
  nlohmann::json body{{"device_type", "jetson_nano"},
                      {"rows",
                       {jetson_row("ok"),
                        // 0.5 W: below what a loaded Jetson Nano draws
                        {{"model", "lowpower"},
                         {"params_m", 1},
                         {"gflops", 0.2},
                         {"gmacs", 0.1},
                         {"size_mb", 4},
                         {"iterations_per_measurement", 500},
                         {"latency_avg_s", 0.01},
                         {"energy_avg_mwh", 0.694}},
                        // RPi5 schema: a run's duration, numbers as strings (as a spreadsheet export gives them)
                        {{"model", "pi_style"},
                         {"params_m", "2"},
                         {"gflops", "0.6"},
                         {"gmacs", "0.3"},
                         {"size_mb", "8"},
                         {"duration_avg_s", "20"},
                         {"energy_avg_mwh", "16.7"}}}},
                      {"provenance", {{"agent_version", "0.2.0"}, {"sensor", "ina3221x"}, {"threads", 2}}}};
  RowBatch batch = rows_from_json(body, api("bench-lab"));
  ASSERT_EQ(batch.rows.size(), 3u);
  LiveCatalog live{Catalog{}};
  AddResult r = live.add(std::move(batch.rows));
  EXPECT_EQ(r.added, 3u);
  EXPECT_EQ(r.clean, 2u);
  EXPECT_EQ(r.flagged, 1u);
  EXPECT_EQ(r.device_types, std::vector<std::string>{"jetson_nano"});
  EXPECT_EQ(r.rows[1]["flags"], nlohmann::json::array({"power_implausible"}));
  EXPECT_EQ(r.rows[0]["source"], "api");
  EXPECT_EQ(r.rows[0]["provenance"]["device"], "bench-lab");
  EXPECT_EQ(r.rows[0]["provenance"]["agent_version"], "0.2.0");
  EXPECT_EQ(r.rows[0]["provenance"]["threads"], 2);
  const ModelRow* pi = live.snapshot()->find("pi_style", "jetson_nano");
  ASSERT_NE(pi, nullptr);
  EXPECT_NEAR(*pi->avg_power_w, 16.7 * 3.6 / 20, 1e-12);
  EXPECT_EQ(live.version(), 1u);
}

TEST(RuntimeRows, MalformedBatchesNameTheField) {
  auto field_of = [](const nlohmann::json& body) {
    try {
      rows_from_json(body, api());
    } catch (const FieldError& e) {
      return e.field();
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(field_of({{"rows", {jetson_row("a")}}}), "device_type");
  EXPECT_EQ(field_of({{"device_type", "bad type!"}, {"rows", {jetson_row("a")}}}), "device_type");
  EXPECT_EQ(field_of({{"device_type", "d"}, {"rows", nlohmann::json::array()}}), "rows");
  EXPECT_EQ(field_of({{"device_type", "d"}, {"rows", {{{"model", "a"}, {"gflopz", 1}}}}}), "rows[0].gflopz");
  EXPECT_EQ(field_of({{"device_type", "d"}, {"rows", {{{"model", "a"}, {"gflops", {1, 2}}}}}}), "rows[0].gflops");
  EXPECT_EQ(field_of({{"device_type", "d"}, {"rows", {jetson_row("a")}}, {"extra", 1}}), "extra");
  EXPECT_EQ(field_of({{"device_type", "d"}, {"rows", {jetson_row("a")}}, {"provenance", {{"who", "x"}}}}),
            "provenance.who");
  nlohmann::json many{{"device_type", "d"}, {"rows", nlohmann::json::array()}};
  for (size_t i = 0; i <= kMaxRowsPerBatch; ++i) many["rows"].push_back({{"model", "m"}});
  EXPECT_EQ(field_of(many), "rows");
  // A cell that is not a number is flagged, as in a file, not rejected.
  auto batch = rows_from_json({{"device_type", "d"}, {"rows", {{{"model", "a"}, {"gflops", "abc"}}}}}, api());
  Catalog c;
  c.add(batch.rows[0]);
  EXPECT_TRUE(c.rows()[0].has_flag(kFlagInvalidValue));
}

TEST(RuntimeRows, CsvUploadReadsLikeAFile) {
  const std::string csv =
      "model,params_m,gflops,gmacs,size_mb,runs,energy_avg_mwh,duration_avg_s\n"
      "mobilenetv2_050,1.969,0.194,0.097,7.68,3,12.629341,19.215394\n";
  RowBatch b = rows_from_csv(csv, "rpi5", api("upload"));
  ASSERT_EQ(b.rows.size(), 1u);
  Catalog c;
  c.add(b.rows[0]);
  EXPECT_TRUE(c.rows()[0].clean());
  EXPECT_EQ(c.rows()[0].provenance.origin, "api");
  try {
    rows_from_csv("name,x\n1,2\n", "rpi5", api());
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "csv");
  }
  EXPECT_THROW(rows_from_csv("model,params_m\n", "rpi5", api()), FieldError);
}

TEST(RuntimeRows, RowsSurviveARestartThroughTheStoreAndATornLineIsReported) {
  TempDir tmp;
  Catalog base;
  base.load(DataSource::parse(kData + "/124_models_benchmark_jetson.csv"));
  // A swapped row posted by someone else: stored as measured, repaired again on reload.
  const ModelRow* resnet = base.find("resnet50", "jetson_nano");
  ASSERT_NE(resnet, nullptr);
  nlohmann::json swapped = jetson_row("resnet50_again");
  swapped["params_m"] = 4.1115;
  swapped["gflops"] = 25.557;
  swapped["gmacs"] = 4.13;
  swapped["size_mb"] = 97.82;
  swapped["latency_avg_s"] = 0.2810438;
  swapped["energy_avg_mwh"] = 268.7472;
  JsonLinesRowStore store(tmp.path / "state/catalog_rows.jsonl");
  {
    LiveCatalog live(base, &store);
    auto r = live.add(
        rows_from_json({{"device_type", "jetson_nano"}, {"rows", {jetson_row("fresh1"), swapped}}}, api("lab")).rows);
    EXPECT_EQ(r.repaired, 1u);
    EXPECT_EQ(r.clean, 2u);
  }
  {
    LiveCatalog restarted(base, &store);
    EXPECT_TRUE(restarted.restore(store).empty());
    auto snap = restarted.snapshot();
    EXPECT_EQ(snap->rows().size(), 126u);
    const ModelRow* again = snap->find("resnet50_again", "jetson_nano");
    ASSERT_NE(again, nullptr);
    EXPECT_TRUE(again->repaired());
    EXPECT_DOUBLE_EQ(*again->params_m, 25.557);
    EXPECT_EQ(again->provenance.origin, "api");
    EXPECT_EQ(again->provenance.device, "lab");
  }
  // A crash in the middle of a write leaves half a line: it is skipped and named, the rest loads.
  { std::ofstream(tmp.path / "state/catalog_rows.jsonl", std::ios::app) << "{\"device_type\": \"jetson_na"; }
  LiveCatalog after_crash(base, &store);
  auto skipped = after_crash.restore(store);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].find("line 3"), std::string::npos) << skipped[0];
  EXPECT_EQ(after_crash.snapshot()->rows().size(), 126u);
}

TEST(RuntimeRows, ReadersKeepTheirSnapshotWhileRowsArrive) {
  LiveCatalog live{Catalog{}};
  std::atomic<bool> stop{false};
  std::atomic<size_t> reads{0};
  std::thread reader([&] {
    while (!stop) {
      auto snap = live.snapshot();
      const size_t n = snap->rows().size();
      // Everything a snapshot holds stays valid and consistent however many rows arrive meanwhile.
      for (const auto* r : snap->rows_for("d")) ASSERT_FALSE(r->model.empty());
      ASSERT_EQ(snap->rows().size(), n);
      ++reads;
    }
  });
  for (int i = 0; i < 200; ++i)
    live.add(rows_from_json({{"device_type", "d"}, {"rows", {jetson_row("m" + std::to_string(i))}}}, api()).rows);
  stop = true;
  reader.join();
  EXPECT_EQ(live.snapshot()->rows().size(), 200u);
  EXPECT_EQ(live.version(), 200u);
  EXPECT_GT(reads.load(), 0u);
}

TEST(RuntimeRows, ExportIsTheSeedSchemaAndReadsBackTheSame) {
  TempDir tmp;
  Catalog c;
  c.load(DataSource::parse(kData));
  LiveCatalog live(c);
  live.add(rows_from_json({{"device_type", "rpi5"}, {"rows", {jetson_row("fleet_row")}}},
                          [] {
                            Provenance p;
                            p.origin = kOriginFleet;
                            p.device = "pi-3";
                            p.model_sha256 = std::string(64, 'a');
                            return p;
                          }())
               .rows);
  const std::string csv = export_csv(*live.snapshot());
  EXPECT_EQ(
      csv.rfind("model,params_m,gflops,gmacs,size_mb,input_size,runs,iterations_per_measurement,latency_avg_s,", 0),
      0u);
  write_file_atomic(tmp.path / "export.csv", csv);
  Catalog back;
  back.load(DataSource::parse((tmp.path / "export.csv").string()));
  ASSERT_EQ(back.rows().size(), 152u);
  auto rep = back.report();
  EXPECT_EQ(rep["devices"]["jetson_nano"]["clean"], 51);
  EXPECT_EQ(rep["devices"]["jetson_nano"]["repaired"], 23);  // exported as measured, repaired again on load
  EXPECT_EQ(rep["devices"]["rpi5"]["rows"], 28);
  EXPECT_NE(csv.find(",fleet,fleet:pi-3,pi-3,"), std::string::npos);
  const ModelRow* r = back.find("resnet50", "jetson_nano");
  ASSERT_NE(r, nullptr);
  EXPECT_DOUBLE_EQ(*r->params_m, 25.557);
  EXPECT_DOUBLE_EQ(*c.find("resnet50")->energy_avg_mwh, *r->energy_avg_mwh);
}

TEST(RuntimeRows, LatencyAsRunDurationRowsAreEnergyPerRunRows) {
  // 500 x 0.01 s runs at 5 W would be 6.944 mWh; this row's latency column holds the whole run's 5 s instead.
  Catalog c;
  auto b = rows_from_json({{"device_type", "jetson_nano"},
                           {"rows",
                            {{{"model", "run_duration"},
                              {"params_m", 1},
                              {"gflops", 0.2},
                              {"gmacs", 0.1},
                              {"size_mb", 4},
                              {"iterations_per_measurement", 500},
                              {"latency_avg_s", 5.0},
                              {"energy_avg_mwh", 6.944}}}}},
                          api());
  c.add(b.rows[0]);
  const ModelRow& r = c.rows()[0];
  EXPECT_TRUE(r.has_flag(kFlagLatencyIsRunDuration));
  EXPECT_FALSE(r.clean());
  EXPECT_TRUE(r.energy_per_run_only());
  EXPECT_DOUBLE_EQ(*r.run_duration_s(), 5.0);
  EXPECT_EQ(row_to_json(r)["energy_per_run_only"], true);
  EXPECT_EQ(c.report()["devices"]["jetson_nano"]["energy_per_run_only"], 1);
}
