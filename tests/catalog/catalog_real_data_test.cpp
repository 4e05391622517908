// The catalog on the real files published by the original project (../shared/data), whose known flaws are listed in
// its README: 72 of 124 Jetson rows imply 0.3-1.5 W, 23 have gflops != 2 x gmacs, 2 have a run-to-run spread > 10%.
#include <gtest/gtest.h>

#include <filesystem>

#include "catalog/catalog.hpp"

using namespace edgeml::catalog;

namespace {
const std::string kData = EDGEML_SHARED_DATA;

int rows_with(const Catalog& c, const std::string& device, const std::string& flag) {
  int n = 0;
  for (auto* r : c.rows_for(device)) n += r->has_flag(flag);
  return n;
}
}  // namespace

TEST(CatalogRealData, LoadsBothSchemasFromAFolderWithDeviceFromFileName) {
  Catalog c;
  EXPECT_EQ(c.load(DataSource::parse(kData)), 151u);
  EXPECT_EQ(c.rows_for("jetson_nano").size(), 124u);
  EXPECT_EQ(c.rows_for("rpi5").size(), 27u);
  EXPECT_EQ(c.device_types(), (std::vector<std::string>{"jetson_nano", "rpi5"}));
}

TEST(CatalogRealData, JetsonFlagsMatchTheKnownFlaws) {
  Catalog c;
  c.load(DataSource::parse(kData + "/124_models_benchmark_jetson.csv"));
  EXPECT_EQ(rows_with(c, "jetson_nano", kFlagPowerImplausible), 72);
  EXPECT_EQ(rows_with(c, "jetson_nano", kFlagUnstableEnergy), 2);
  EXPECT_EQ(rows_with(c, "jetson_nano", kFlagInvalidValue), 0);
  // The 23 rows with gflops != 2 x gmacs all have params_m and gflops swapped: repaired, not flagged.
  EXPECT_EQ(rows_with(c, "jetson_nano", kFlagFlopsMacsMismatch), 0);
  EXPECT_EQ(rows_with(c, "jetson_nano", kFlagAvgMismatch), 0);
  int repaired = 0, clean = 0;
  for (auto* r : c.rows_for("jetson_nano")) {
    repaired += r->repaired();
    clean += r->clean();
  }
  EXPECT_EQ(repaired, 23);
  EXPECT_EQ(clean, 51);  // 28 clean before the repair
}

TEST(CatalogRealData, SwappedParamsAndGflopsAreRepairedByTheStatedRuleKeepingTheOriginals) {
  Catalog c;
  c.load(DataSource::parse(kData + "/124_models_benchmark_jetson.csv"));
  // resnet50 shows params_m 4.1115, gflops 25.557, gmacs 4.13, size 97.82 MB: 97.82 / 25.557 = 3.83 MB per million.
  const ModelRow* r = c.find("resnet50", "jetson_nano");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->clean());
  ASSERT_EQ(r->repairs.size(), 1u);
  EXPECT_EQ(r->repairs[0].rule, kRepairParamsGflopsSwapped);
  EXPECT_DOUBLE_EQ(*r->params_m, 25.557);
  EXPECT_DOUBLE_EQ(*r->gflops, 2 * 4.13);
  ASSERT_EQ(r->repairs[0].original.size(), 2u);
  EXPECT_EQ(r->repairs[0].original[0], (std::pair<std::string, double>{"params_m", 4.1115}));
  EXPECT_EQ(r->repairs[0].original[1], (std::pair<std::string, double>{"gflops", 25.557}));
  // energy_avg_mwh is kept whatever the run columns say.
  EXPECT_DOUBLE_EQ(*r->energy_avg_mwh, 268.7472);
  auto j = row_to_json(*r);
  EXPECT_EQ(j["repaired"], nlohmann::json::array({"params_gflops_swapped"}));
  EXPECT_EQ(j["repairs"][0]["original"]["params_m"], 4.1115);
  EXPECT_EQ(j["source"], "file");
  // A row whose values agree is left alone.
  const ModelRow* beit = c.find("beit_base_patch16_224", "jetson_nano");
  ASSERT_NE(beit, nullptr);
  EXPECT_FALSE(beit->repaired());
  auto rep = c.report(3);
  EXPECT_EQ(rep["repairs"]["params_gflops_swapped"]["rows"], 23);
  EXPECT_EQ(rep["devices"]["jetson_nano"]["repaired"], 23);
}

TEST(CatalogRealData, ImpliedPowerAndPerInferenceEnergy) {
  Catalog c;
  c.load(DataSource::parse(kData + "/124_models_benchmark_jetson.csv"));
  // beit_base_patch16_224: 286.5004899 mWh over 500 x 0.296103722 s.
  const ModelRow* r = c.find("beit_base_patch16_224");
  ASSERT_NE(r, nullptr);
  ASSERT_TRUE(r->avg_power_w && r->energy_per_inference_mj);
  EXPECT_NEAR(*r->avg_power_w, 286.5004899 * 3.6 / (0.296103722 * 500), 1e-9);
  EXPECT_NEAR(*r->energy_per_inference_mj, 286.5004899 * 3600 / 500, 1e-9);
  EXPECT_FALSE(r->has_flag(kFlagPowerImplausible));
}

TEST(CatalogRealData, RpiRowsUseRunDurationForPower) {
  Catalog c;
  c.load(DataSource::parse("rpi5=" + kData + "/27_models_benchmark_rpi5.csv"));
  const ModelRow* r = c.find("mobilenetv2_050", "rpi5");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(*r->avg_power_w, 12.629341 * 3.6 / 19.215394, 1e-9);
  EXPECT_FALSE(r->energy_per_inference_mj.has_value());  // N is not recorded in that schema
  EXPECT_TRUE(r->clean());
}

TEST(CatalogRealData, ReportCountsRowsPerDeviceAndFlag) {
  Catalog c;
  c.load(DataSource::parse(kData));
  auto rep = c.report(2);
  EXPECT_EQ(rep["rows"], 151);
  EXPECT_EQ(rep["devices"]["jetson_nano"]["rows"], 124);
  EXPECT_EQ(rep["flags"]["power_implausible"]["rows"], 72);
  EXPECT_EQ(rep["flags"]["power_implausible"]["examples"].size(), 2u);
  EXPECT_EQ(rep["devices"]["jetson_nano"]["clean"].get<int>() + rep["devices"]["jetson_nano"]["flagged"].get<int>(),
            124);
}

TEST(CatalogRealData, MissingFileNamesIt) {
  Catalog c;
  try {
    c.load(DataSource::parse("/nonexistent/bench.csv"));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/bench.csv"), std::string::npos);
  }
}
