// The controller's catalog and energy parts, in-process on real files: rows measured at run time kept in the
// controller's database (SQLite in a temporary folder) and read back by a new catalog, the gate's choice of measured
// figure, the like-for-like rule of the energy comparison, and whether a model can be deployed with what weights.
#include <gtest/gtest.h>

#include <filesystem>

#include "catalog/live_catalog.hpp"
#include "catalog/row_import.hpp"
#include "common/files.hpp"
#include "controller/artifact_availability.hpp"
#include "controller/db_row_store.hpp"
#include "controller/energy_gate.hpp"
#include "controller/energy_report.hpp"
#include "onnx/zoo.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace edgeml;
using namespace edgeml::controller;
using edgeml::testing::TempDir;

namespace {

// A Jetson-schema row as an API client would post it: 500 inferences of latency_s at power_w.
nlohmann::json jetson_row(const std::string& model, double latency_s, double power_w) {
  const double energy_mwh = power_w * latency_s * 500 / 3.6;
  return {{"model", model},
          {"params_m", 2.5},
          {"gflops", 0.12},
          {"gmacs", 0.06},
          {"size_mb", 10.0},
          {"iterations_per_measurement", 500},
          {"latency_avg_s", latency_s},
          {"energy_avg_mwh", energy_mwh}};
}

catalog::Provenance origin(const char* o) {
  catalog::Provenance p;
  p.origin = o;
  return p;
}

}  // namespace

// Rows added at run time go to the catalog_rows table first; a new catalog over the same database (a restart) has
// them again, validated and flagged the same way, with their provenance.
TEST(DbRowStore, RowsSurviveARestartWithTheirFlagsAndProvenance) {
  TempDir tmp("dbrows");
  const auto db_file = (tmp.path / "controller.db").string();
  SystemClock clock;
  nlohmann::json body{{"device_type", "jetson_nano"},
                      {"rows", {jetson_row("good_net", 0.02, 5.0), jetson_row("odd_net", 0.02, 0.5)}},
                      {"provenance", {{"device", "lab-nano"}, {"sensor", "FNB58"}, {"agent_version", "0.1.0"}}}};
  {
    store::Store db(db_file);
    DbRowStore rows(db.catalog_rows(), clock);
    catalog::LiveCatalog live(catalog::Catalog{}, &rows);
    auto added = live.add(catalog::rows_from_json(body, origin(catalog::kOriginApi)).rows);
    EXPECT_EQ(added.added, 2u);
    EXPECT_EQ(added.clean, 1u);
    EXPECT_EQ(added.flagged, 1u) << "0.5 W is outside a Jetson Nano's 2-10 W";
    EXPECT_EQ(db.catalog_rows().count(), 2);
  }
  store::Store db(db_file);
  DbRowStore rows(db.catalog_rows(), clock);
  catalog::LiveCatalog live(catalog::Catalog{}, &rows);
  EXPECT_TRUE(live.restore(rows).empty());
  auto snap = live.snapshot();
  ASSERT_EQ(snap->rows().size(), 2u);
  const auto* good = snap->find("good_net", "jetson_nano");
  ASSERT_NE(good, nullptr);
  EXPECT_TRUE(good->clean());
  EXPECT_EQ(good->provenance.origin, "api");
  EXPECT_EQ(good->provenance.device, "lab-nano");
  EXPECT_EQ(good->provenance.sensor, "FNB58");
  EXPECT_NEAR(*good->avg_power_w, 5.0, 1e-9);
  EXPECT_TRUE(snap->find("odd_net", "jetson_nano")->has_flag(catalog::kFlagPowerImplausible));

  // A record that cannot be read back is skipped and named, not silently dropped.
  db.catalog_rows().append({{0, "jetson_nano", "api", "{not json", 1}});
  catalog::LiveCatalog again(catalog::Catalog{}, &rows);
  auto skipped = again.restore(rows);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].find("catalog_rows id 3"), std::string::npos) << skipped[0];
  EXPECT_EQ(again.snapshot()->rows().size(), 2u);
}

// The gate prices a model by the device type as it runs now: a clean fleet/API row beats the benchmark file's row;
// a flagged one does not.
TEST(MeasuredEnergy, FreshCleanRowsWinOverFileRows) {
  catalog::Catalog c;
  auto file = catalog::rows_from_json({{"device_type", "jetson_nano"}, {"rows", {jetson_row("net", 0.02, 4.0)}}},
                                      origin(catalog::kOriginFile));
  for (auto& r : file.rows) c.add(std::move(r));
  auto e = measured_energy(c, "net", "jetson_nano");
  ASSERT_TRUE(e);
  EXPECT_NEAR(*e->mwh, 4.0 * 0.02 * 500 / 3.6, 1e-9);

  auto flagged = catalog::rows_from_json({{"device_type", "jetson_nano"}, {"rows", {jetson_row("net", 0.02, 0.5)}}},
                                         origin(catalog::kOriginFleet));
  for (auto& r : flagged.rows) c.add(std::move(r));
  EXPECT_NEAR(*measured_energy(c, "net", "jetson_nano")->mwh, 4.0 * 0.02 * 500 / 3.6, 1e-9) << "flagged: not used";

  auto fresh = catalog::rows_from_json({{"device_type", "jetson_nano"}, {"rows", {jetson_row("net", 0.02, 6.0)}}},
                                       origin(catalog::kOriginFleet));
  for (auto& r : fresh.rows) c.add(std::move(r));
  e = measured_energy(c, "net", "jetson_nano");
  EXPECT_NEAR(*e->mwh, 6.0 * 0.02 * 500 / 3.6, 1e-9);
  EXPECT_NE(e->reason.find("fleet row"), std::string::npos) << e->reason;
  EXPECT_NEAR(*e->per_inference_mj, 6.0 * 0.02 * 1000, 1e-6) << "per inference: P x latency";
  EXPECT_FALSE(measured_energy(c, "net", "rpi5"));
  EXPECT_FALSE(measured_energy(c, "other", "jetson_nano"));
}

// An error only between like figures: a per-inference figure from the deploy against the measured gross figure.
TEST(EnergyCompare, ErrorOnlyForLikeForLikePairs) {
  store::Device d;
  d.id = 1, d.name = "nano", d.device_type = "jetson_nano";
  store::DeploymentRecord dep;
  dep.id = 7, dep.model_name = "net", dep.energy_mwh = 27.8, dep.energy_source = "measured";
  dep.predicted_per_inference_mj = 200;
  store::TelemetrySample m;
  m.t = 100, m.energy_per_inference_j = 0.25, m.idle_power_w = 1.5, m.duty_cycle = 0.1, m.energy_per_hour_mwh = 2000;
  auto row = energy_compare_row(d, dep, m);
  EXPECT_NEAR(row["error_pct"].get<double>(), 25.0, 1e-9);
  EXPECT_NEAR(row["measured"]["gross_energy_per_inference_mj"].get<double>(), 250, 1e-9);
  EXPECT_NEAR(row["measured"]["idle_power_w"].get<double>(), 1.5, 1e-12);
  EXPECT_NEAR(row["measured"]["duty_cycle"].get<double>(), 0.1, 1e-12);
  EXPECT_NEAR(row["measured"]["energy_per_hour_mwh"].get<double>(), 2000, 1e-9);

  // A duration-based prediction (energy per run of unknown length): no per-inference figure, no error, a reason.
  dep.predicted_per_inference_mj.reset();
  dep.energy_source = "predicted";
  row = energy_compare_row(d, dep, m);
  EXPECT_TRUE(row["error_pct"].is_null());
  EXPECT_NE(row["error_unavailable"].get<std::string>().find("no known number of inferences"), std::string::npos)
      << row.dump(2);
  EXPECT_NEAR(row["measured_per_inference_mj"].get<double>(), 250, 1e-9) << "the measurement is still shown";

  // Nothing measured yet: no error, and the reason.
  dep.predicted_per_inference_mj = 200;
  row = energy_compare_row(d, dep, std::nullopt);
  EXPECT_TRUE(row["error_pct"].is_null());
  EXPECT_TRUE(row["measured_per_inference_mj"].is_null());
  EXPECT_TRUE(row["measured_unavailable"].is_string());
}

// Deployable or marked: the store (its file's metadata tells placeholder weights from a file's own), a configured
// source, the zoo; nothing -> not deployable, with the reason. The answer follows the store as files arrive.
TEST(ArtifactAvailability, SaysWhereAModelComesFromAndWhatWeightsItRuns) {
  TempDir tmp("avail");
  ArtifactStore store(tmp.path / "models");
  ArtifactAvailability none_configured(store, 0);

  auto zoo = none_configured.of("mobilenetv2_050");
  EXPECT_TRUE(zoo.deployable);
  EXPECT_EQ(zoo.origin, "zoo");
  EXPECT_EQ(zoo.weights, kWeightsPlaceholder);

  auto unknown = none_configured.of("my_private_net");
  EXPECT_FALSE(unknown.deployable);
  EXPECT_EQ(unknown.origin, "");
  EXPECT_TRUE(unknown.to_json()["artifact"].is_null());
  EXPECT_NE(unknown.to_json()["deployable_note"].get<std::string>().find("not in the artifact store"),
            std::string::npos);

  // The real TFLite file (trained weights) and a zoo graph, both in the store.
  store.put_model("my_private_net", read_file(fs::path(EDGEML_SHARED_DATA) / "mobilenetv3_small_075.tflite"));
  store.put_model("mobilenetv2_050", onnx::zoo_build("mobilenetv2_050"));
  auto mine = none_configured.of("my_private_net");
  EXPECT_TRUE(mine.deployable) << "the cache follows the store's folder";
  EXPECT_EQ(mine.origin, "store");
  EXPECT_EQ(mine.file, "my_private_net.tflite");
  EXPECT_EQ(mine.weights, kWeightsFile);
  auto stored_zoo = none_configured.of("mobilenetv2_050");
  EXPECT_EQ(stored_zoo.origin, "store");
  EXPECT_EQ(stored_zoo.weights, kWeightsPlaceholder) << "the zoo's metadata travels with the file";

  ArtifactAvailability with_sources(store, 2);
  auto fetched_later = with_sources.of("resnet50_from_hub");
  EXPECT_TRUE(fetched_later.deployable);
  EXPECT_EQ(fetched_later.origin, "source");
  EXPECT_EQ(fetched_later.weights, kWeightsUnknown);
}
