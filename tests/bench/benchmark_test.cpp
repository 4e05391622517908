// The bench on real (tiny) models through the real runtimes: statistics, progress, energy only from a source, peak
// RSS, and rows the catalog loads.
#include "bench/benchmark.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "../runtime/onnx_builder.hpp"
#include "bench/rows.hpp"
#include "bench/system_info.hpp"
#include "catalog/catalog.hpp"
#include "common/csv.hpp"
#include "common/error.hpp"
#include "runtime/runtime.hpp"

using namespace edgeml::bench;
using edgeml::testing::GraphBuilder;
using edgeml::testing::TempDir;

namespace {

// A minimal pre-1.6 torch.save file: magic number, protocol 1001, empty system info, an empty state dict.
const std::string kLegacyTorchSave(
    "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.\x80\x02M\xe9\x03.\x80\x02}.\x80\x02}.", 29);

// A small CNN step: 3x8x8 -> Conv 3x3 (4 channels) -> Relu -> GlobalAveragePool.
std::filesystem::path tiny_cnn(const TempDir& dir, const std::string& name = "tiny_cnn") {
  GraphBuilder g(13);
  g.input("x", {1, 3, 8, 8});
  g.output("y", {1, 4, 1, 1});
  g.initializer("w", {4, 3, 3, 3}, std::vector<float>(4 * 3 * 3 * 3, 0.05f));
  auto& conv = g.node("Conv", {"x", "w"}, {"c"});
  auto* ks = conv.add_attribute();
  ks->set_name("kernel_shape");
  ks->set_type(onnx::AttributeProto::INTS);
  ks->add_ints(3);
  ks->add_ints(3);
  g.node("Relu", {"c"}, {"r"});
  g.node("GlobalAveragePool", {"r"}, {"y"});
  return g.save(dir / (name + ".onnx"));
}

BenchOptions quick(const std::string& backend) {
  BenchOptions o;
  o.backend = backend;
  o.warmup = 2;
  o.iterations = 20;
  o.runs = 3;
  return o;
}

bool has_note(const BenchResult& r, const std::string& text) {
  for (const auto& n : r.notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(BenchStats, MeanStdPercentile) {
  std::vector<double> v = {4, 1, 3, 2, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(mean_of(v), 5.5);
  EXPECT_NEAR(stddev_of(v), std::sqrt(8.25), 1e-12);
  EXPECT_DOUBLE_EQ(percentile_of(v, 50), 5);
  EXPECT_DOUBLE_EQ(percentile_of(v, 99), 10);
  EXPECT_DOUBLE_EQ(percentile_of(v, 0), 1);
  EXPECT_DOUBLE_EQ(stddev_of({3.0}), 0);
}

class BenchOn : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir dir;
};

TEST_P(BenchOn, MeasuresEveryTimedInferenceAndLeavesEnergyEmptyWithoutASource) {
  std::vector<std::string> progress;
  auto o = quick(GetParam());
  o.progress = [&](const std::string& line) { progress.push_back(line); };
  const auto r = run_benchmark(tiny_cnn(dir), o);
  EXPECT_EQ(r.model, "tiny_cnn");
  EXPECT_EQ(r.backend, GetParam());
  EXPECT_EQ(r.runs, 3);
  EXPECT_EQ(r.iterations_per_measurement, 20);
  EXPECT_EQ(r.input_size, "3x8x8");
  EXPECT_EQ(r.input_resolution, "8x8");
  EXPECT_GT(r.latency_avg_s, 0);
  EXPECT_LE(r.latency_p50_s, r.latency_p99_s);
  EXPECT_GE(r.latency_std_s, 0);
  // Throughput is measured over the runs' wall time, which includes the per-inference timing overhead.
  EXPECT_GT(r.throughput_iter_per_s * r.latency_avg_s, 0.5);
  EXPECT_LE(r.throughput_iter_per_s * r.latency_avg_s, 1.0 + 1e-9);
  EXPECT_GT(r.size_mb, 0);
  ASSERT_TRUE(r.peak_rss_mb.has_value());
  EXPECT_GT(*r.peak_rss_mb, 1.0);
  EXPECT_FALSE(r.energy_avg_mwh || r.energy_std_mwh || r.avg_power_w);
  EXPECT_TRUE(r.energy_runs_mwh.empty());
  EXPECT_TRUE(has_note(r, "energy unavailable: no power source")) << r.notes.size();
  ASSERT_GE(progress.size(), 5u);  // load, warm-up, 3 runs
  EXPECT_NE(progress.back().find("run 3/3"), std::string::npos) << progress.back();
}

TEST_P(BenchOn, EnergyComesFromTheSourcePerRun) {
  double counter = 1000.0;  // a cumulative joule counter that advances 7.2 J between any two reads
  auto o = quick(GetParam());
  o.energy = EnergySource{"test meter", [&]() -> std::optional<double> { return counter += 7.2; }};
  const auto r = run_benchmark(tiny_cnn(dir), o);
  ASSERT_EQ(r.energy_runs_mwh.size(), 3u);
  for (double e : r.energy_runs_mwh) EXPECT_NEAR(e, 2.0, 1e-9);  // 7.2 J = 2 mWh
  EXPECT_NEAR(*r.energy_avg_mwh, 2.0, 1e-9);
  EXPECT_NEAR(*r.energy_std_mwh, 0.0, 1e-12);
  // Power = 21.6 J over the three runs' duration, which is at least the summed latencies.
  const double timed_s = r.latency_avg_s * 60;
  ASSERT_TRUE(r.avg_power_w.has_value());
  EXPECT_LE(*r.avg_power_w, 21.6 / timed_s + 1e-9);
  EXPECT_GT(*r.avg_power_w, 0);
  EXPECT_TRUE(has_note(r, "energy from test meter"));
}

TEST_P(BenchOn, AFailedReadingLeavesEnergyEmptyWithTheReason) {
  int calls = 0;
  auto o = quick(GetParam());
  o.energy = EnergySource{"flaky", [&]() -> std::optional<double> {
                            if (++calls == 3) return std::nullopt;  // first read of run 2
                            return calls * 1.0;
                          }};
  const auto r = run_benchmark(tiny_cnn(dir), o);
  EXPECT_FALSE(r.energy_avg_mwh.has_value());
  EXPECT_TRUE(r.energy_runs_mwh.empty());
  EXPECT_TRUE(has_note(r, "flaky could not be read on run 2"));
}

TEST_P(BenchOn, ACounterGoingBackwardsIsNotEnergy) {
  double counter = 100;
  auto o = quick(GetParam());
  o.energy = EnergySource{"wrapping", [&]() -> std::optional<double> { return counter -= 1; }};
  const auto r = run_benchmark(tiny_cnn(dir), o);
  EXPECT_FALSE(r.energy_avg_mwh.has_value());
  EXPECT_TRUE(has_note(r, "went backwards on run 1"));
}

TEST_P(BenchOn, BadOptionsNameTheField) {
  auto o = quick(GetParam());
  o.iterations = 0;
  try {
    run_benchmark(tiny_cnn(dir), o);
    FAIL();
  } catch (const edgeml::FieldError& e) {
    EXPECT_EQ(e.field(), "iterations");
  }
}

INSTANTIATE_TEST_SUITE_P(Each, BenchOn, ::testing::ValuesIn(edgeml::runtime::available_backends()),
                         [](const auto& info) { return info.param; });

TEST(BenchRows, TfliteModelIsBenchmarkedWithItsOwnFigures) {
  // The seed's real TFLite model (translated in memory): counted from the file, its NHWC input reported channels first.
  const auto r =
      run_benchmark(std::filesystem::path(EDGEML_SHARED_DATA) / "mobilenetv3_small_075.tflite", quick("auto"));
  EXPECT_EQ(r.input_size, "3x224x224");
  EXPECT_EQ(r.input_resolution, "224x224");
  ASSERT_TRUE(r.params_m && r.gmacs);
  EXPECT_NEAR(*r.params_m, 2.037032, 1e-9);
  EXPECT_NEAR(*r.gmacs, 0.043399344, 1e-12);
  EXPECT_GT(r.latency_avg_s, 0);
}

TEST(BenchRefusal, PytorchIsRefusedWithTheReason) {
  // TFLite runs (translated in memory, tests/tflite); a PyTorch file has no runtime here.
  TempDir dir;
  const auto pth = dir / "legacy.pth";
  std::ofstream(pth, std::ios::binary) << kLegacyTorchSave;
  try {
    run_benchmark(pth, quick("auto"));
    FAIL();
  } catch (const edgeml::runtime::RuntimeRefusal& e) {
    EXPECT_NE(std::string(e.what()).find("no runtime for pytorch in this build"), std::string::npos) << e.what();
  }
}

TEST(BenchRows, HeaderStartsWithTheJetsonSchemaInOrder) {
  auto jetson = edgeml::read_csv(std::filesystem::path(EDGEML_SHARED_DATA) / "124_models_benchmark_jetson.csv");
  const auto& ours = csv_columns();
  ASSERT_GT(ours.size(), jetson.header.size());
  for (size_t i = 0; i < jetson.header.size(); ++i) EXPECT_EQ(ours[i], jetson.header[i]) << i;
  for (const char* extra :
       {"backend", "threads", "cpu_model", "latency_p50_s", "latency_p99_s", "peak_rss_mb", "notes"})
    EXPECT_NE(std::find(ours.begin(), ours.end(), extra), ours.end()) << extra;
}

TEST(BenchRows, CsvRoundTripsThroughTheCatalogWithEmptyEnergy) {
  TempDir dir;
  auto r = run_benchmark(tiny_cnn(dir), quick("auto"));
  r.notes.push_back("a note, with a comma and \"quotes\"");
  write_csv(dir / "rows.csv", {r});

  auto table = edgeml::read_csv(dir / "rows.csv");
  ASSERT_EQ(table.rows.size(), 1u);
  auto cell = [&](const char* col) { return table.rows[0][*table.column(col)]; };
  EXPECT_EQ(cell("energy_avg_mwh"), "");
  EXPECT_EQ(cell("energy_run1_mwh"), "");
  EXPECT_EQ(cell("params_m"), "0.000108");  // 4x3x3x3 conv weights, counted by the inspector
  EXPECT_NE(cell("notes").find("with a comma and \"quotes\""), std::string::npos);
  EXPECT_EQ(cell("threads"), "1");

  edgeml::catalog::Catalog catalog;
  ASSERT_EQ(catalog.load_file(dir / "rows.csv", "testbox"), 1u);
  const auto* row = catalog.find("tiny_cnn", "testbox");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->backend, r.backend);
  EXPECT_EQ(row->threads, 1);
  ASSERT_TRUE(row->latency_avg_s.has_value());
  EXPECT_NEAR(*row->latency_avg_s, r.latency_avg_s, 1e-9 + r.latency_avg_s * 1e-6);
  EXPECT_FALSE(row->energy_avg_mwh.has_value());
  EXPECT_EQ(row->iterations_per_measurement, 20);
}

TEST(BenchRows, ModelRowCarriesTheMeasurement) {
  TempDir dir;
  auto o = quick("auto");
  double counter = 0;
  o.energy = EnergySource{"meter", [&]() -> std::optional<double> { return counter += 3.6; }};
  const auto r = run_benchmark(tiny_cnn(dir), o);
  auto row = to_model_row(r, "testbox");
  EXPECT_EQ(row.model, "tiny_cnn");
  EXPECT_EQ(row.device_type, "testbox");
  ASSERT_EQ(row.energy_runs_mwh.size(), 3u);
  for (double e : row.energy_runs_mwh) EXPECT_NEAR(e, 1.0, 1e-9);  // 3.6 J = 1 mWh
  EXPECT_EQ(*row.runs, 3);
  EXPECT_EQ(*row.latency_avg_s, r.latency_avg_s);
  edgeml::catalog::Catalog catalog;
  catalog.add(row);
  ASSERT_NE(catalog.find("tiny_cnn", "testbox"), nullptr);
}

TEST(SystemInfo, PeakRssFollowsARealAllocationAndResets) {
#ifdef EDGEML_UNDER_ASAN
  // AddressSanitizer keeps freed blocks in its quarantine and maps shadow memory beside every allocation, so the
  // resident set does not fall back after the block is freed: the check cannot hold there, by design.
  GTEST_SKIP() << "peak-RSS reset is not observable under AddressSanitizer (cmake/Sanitizers.cmake)";
#endif
  ASSERT_TRUE(reset_peak_rss()) << "kernel refused /proc/self/clear_refs";
  const double before = *peak_rss_mb();
  {
    std::vector<char> block(64 << 20, 1);  // touched, so resident
    volatile char sink = block[block.size() / 2];
    (void)sink;
  }
  const double after = *peak_rss_mb();
  EXPECT_GT(after - before, 50.0);
  ASSERT_TRUE(reset_peak_rss());
  EXPECT_LT(*peak_rss_mb(), after - 50.0);
}

TEST(SystemInfo, CpuModelFromEachBoardsLayout) {
  TempDir dir;
  auto proc = [&](const std::string& name) {
    std::filesystem::create_directories(dir / name / "device-tree");
    return dir / name;
  };
  std::ofstream(proc("x86") / "cpuinfo")
      << "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n";
  std::ofstream(proc("pi5") / "cpuinfo")
      << "processor\t: 0\nBogoMIPS\t: 108.00\n\nRevision\t: d04170\nModel\t\t: Raspberry Pi 5 Model B Rev 1.0\n";
  std::ofstream(proc("jetson") / "cpuinfo") << "processor\t: 0\nmodel name\t: \nBogoMIPS\t: 38.40\n";
  std::ofstream(proc("jetson") / "device-tree/model", std::ios::binary)
      << std::string("NVIDIA Jetson Nano Developer Kit\0", 33);
  EXPECT_EQ(cpu_model(dir / "x86"), "Intel(R) Xeon(R) CPU @ 2.20GHz");
  EXPECT_EQ(cpu_model(dir / "pi5"), "Raspberry Pi 5 Model B Rev 1.0");
  EXPECT_EQ(cpu_model(dir / "jetson"), "NVIDIA Jetson Nano Developer Kit");
  EXPECT_EQ(cpu_model(dir / "missing"), "unknown");
  EXPECT_NE(cpu_model(), "unknown");  // this machine
}
