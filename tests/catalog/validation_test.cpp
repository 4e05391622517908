// Validation on small hand-written files: every flag, in both schemas, with columns in any order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "catalog/catalog.hpp"
#include "common/error.hpp"

using namespace edgeml::catalog;
namespace fs = std::filesystem;

namespace {
class CsvFile {
 public:
  explicit CsvFile(const std::string& content, const std::string& name = "bench_jetson.csv") {
    dir_ = fs::temp_directory_path() / ("edgeml_catalog_" + std::to_string(::getpid()) + "_" + std::to_string(n_++));
    fs::create_directories(dir_);
    path_ = dir_ / name;
    std::ofstream(path_) << content;
  }
  ~CsvFile() { fs::remove_all(dir_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int n_ = 0;
  fs::path dir_, path_;
};

const std::string kJetsonHeader =
    "model,params_m,gflops,gmacs,size_mb,input_size,runs,iterations_per_measurement,latency_avg_s,latency_std_s,"
    "throughput_iter_per_s,energy_avg_mwh,energy_std_mwh,energy_run1_mwh,energy_run2_mwh,energy_run3_mwh\n";
}  // namespace

TEST(Validation, PlausibleRowIsClean) {
  // 5 W x 500 x 0.01 s = 25 J = 6.944 mWh
  CsvFile f(kJetsonHeader + "m,1,0.2,0.1,4,3x224x224,3,500,0.01,0,100,6.944,0,6.944,6.944,6.944\n");
  Catalog c;
  c.load(DataSource::parse(f.path()));
  ASSERT_EQ(c.rows().size(), 1u);
  EXPECT_TRUE(c.rows()[0].clean()) << c.rows()[0].flags[0].detail;
  EXPECT_NEAR(*c.rows()[0].avg_power_w, 5.0, 1e-3);
}

TEST(Validation, LatencyThatIsARunDurationIsFlaggedAsSuch) {
  // 5 s "latency" for the whole run of 500: per-inference reading gives 0.01 W; as a run duration 5 W.
  CsvFile f(kJetsonHeader + "m,1,0.2,0.1,4,3x224x224,3,500,5,0,0.2,6.944,0,6.944,6.944,6.944\n");
  Catalog c;
  c.load(DataSource::parse(f.path()));
  const auto& r = c.rows()[0];
  EXPECT_TRUE(r.has_flag(kFlagPowerImplausible));
  EXPECT_TRUE(r.has_flag(kFlagLatencyIsRunDuration));
}

TEST(Validation, InvalidCellsNameTheColumnAndRowIsKept) {
  CsvFile f(kJetsonHeader + "m,abc,0.2,-0.1,4,3x224x224,3,500,0.01,0,100,,0,1,1,1\n");
  Catalog c;
  c.load(DataSource::parse(f.path()));
  ASSERT_EQ(c.rows().size(), 1u);
  std::string all;
  for (auto& fl : c.rows()[0].flags) all += fl.name + ":" + fl.detail + "\n";
  EXPECT_NE(all.find("column params_m: 'abc' is not a number"), std::string::npos) << all;
  EXPECT_NE(all.find("column gmacs: negative"), std::string::npos) << all;
  EXPECT_NE(all.find("column energy_avg_mwh: missing"), std::string::npos) << all;
}

TEST(Validation, NanAndInfAreInvalid) {
  CsvFile f(kJetsonHeader + "m,nan,inf,0.1,4,3x224x224,3,500,0.01,0,100,6.9,0,6.9,6.9,6.9\n");
  Catalog c;
  c.load(DataSource::parse(f.path()));
  EXPECT_TRUE(c.rows()[0].has_flag(kFlagInvalidValue));
}

TEST(Validation, UnstableAndAvgMismatch) {
  CsvFile f(kJetsonHeader + "m,1,0.2,0.1,4,3x224x224,3,500,0.01,0,100,8,0,5,7,9\n");
  Catalog c;
  c.load(DataSource::parse(f.path()));
  const auto& r = c.rows()[0];
  EXPECT_TRUE(r.has_flag(kFlagUnstableEnergy));  // std 2 / mean 7 = 28.6%
  EXPECT_TRUE(r.has_flag(kFlagAvgMismatch));     // 8 vs 7
}

TEST(Validation, ColumnsFoundByNameUnknownIgnoredMissingOptionalNull) {
  // Reordered columns, an extra one, no iterations_per_measurement (the older Jetson schema: N defaults to 500).
  CsvFile f("energy_avg_mwh,model,extra,latency_avg_s,size_mb,gmacs,gflops,params_m\n6.944,m,zzz,0.01,4,0.1,0.2,1\n");
  Catalog c;
  c.load(DataSource::parse(f.path()));
  const auto& r = c.rows()[0];
  EXPECT_TRUE(r.clean());
  EXPECT_EQ(r.iterations_per_measurement, 500);
  EXPECT_FALSE(r.throughput_iter_per_s.has_value());
}

TEST(Validation, DeviceFromPrefixOrFileName) {
  CsvFile f("model,params_m,gflops,gmacs,size_mb,energy_avg_mwh,duration_avg_s\nm,1,0.2,0.1,4,10,10\n",
            "27_models_benchmark_rpi5.csv");
  Catalog a;
  a.load(DataSource::parse(f.path()));
  EXPECT_EQ(a.rows()[0].device_type, "rpi5");
  Catalog b;
  b.load(DataSource::parse("orin_nano=" + f.path()));
  EXPECT_EQ(b.rows()[0].device_type, "orin_nano");
  EXPECT_THROW(DataSource::parse("bad device=" + f.path()), edgeml::FieldError);
}

TEST(Validation, FileWithoutModelColumnIsRefused) {
  CsvFile f("name,x\na,1\n");
  Catalog c;
  EXPECT_THROW(c.load(DataSource::parse(f.path())), std::runtime_error);
}
