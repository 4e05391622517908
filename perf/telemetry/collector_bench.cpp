// Collector::sample() on fixture copies of a Jetson Nano (iio rails), an Orin (hwmon ina3221), an x86 host, a VM, a
// Raspberry Pi 5 (two vcgencmd runs per sample: pmic_read_adc, get_throttled; the stand-in is a shell script, so
// this measures fork/exec of /bin/sh, of the order of the real vcgencmd) and a laptop on battery; the JSON and
// Prometheus renderings, and the heap held by a full History.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <stdlib.h>

#include <filesystem>

#include "common/clock.hpp"
#include "telemetry/collector.hpp"
#include "telemetry/history.hpp"
#include "telemetry/json.hpp"
#include "telemetry/prometheus.hpp"

namespace fs = std::filesystem;
using namespace edgeml::telemetry;

namespace {
// A private copy of a fixture tree, removed at exit.
struct Tree {
  fs::path dir;
  explicit Tree(const char* name) {
    std::string tmpl = (fs::temp_directory_path() / "edgeml-telemetry-bench-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    fs::copy(fs::path(EDGEML_FIXTURES_DIR) / name, dir, fs::copy_options::recursive);
  }
  ~Tree() { fs::remove_all(dir); }
  Roots roots() const {
    Roots r{dir / "sys", dir / "proc", dir};
    r.vcgencmd = dir / "bin" / "vcgencmd";  // only the rpi5 tree has one
    r.rootfs = dir;                         // nvpmodel files of the Jetson trees
    return r;
  }
};

const char* kTrees[] = {"jetson_nano_l4t32", "jetson_orin_jp5", "x86_rapl", "bare_vm", "rpi5", "laptop_battery"};

void BM_CollectorSample(benchmark::State& state) {
  Tree tree(kTrees[state.range(0)]);
  edgeml::SystemClock clock;
  Collector c(tree.roots(), clock);
  for (auto _ : state) benchmark::DoNotOptimize(c.sample());
  state.SetLabel(kTrees[state.range(0)]);
}
BENCHMARK(BM_CollectorSample)->DenseRange(0, 5)->Unit(benchmark::kMicrosecond);

void BM_ToJsonDump(benchmark::State& state) {
  Tree tree("jetson_orin_jp5");
  edgeml::SystemClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  for (auto _ : state) benchmark::DoNotOptimize(to_json(s).dump());
}
BENCHMARK(BM_ToJsonDump)->Unit(benchmark::kMicrosecond);

void BM_ToPrometheus(benchmark::State& state) {
  Tree tree("jetson_orin_jp5");
  edgeml::SystemClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  for (auto _ : state) benchmark::DoNotOptimize(to_prometheus(s));
}
BENCHMARK(BM_ToPrometheus)->Unit(benchmark::kMicrosecond);

// Heap held by a full default History (2 h at 1 Hz) of Orin snapshots (9 zones, 3 rails, 6 cores, GPU, EMC, fan,
// power mode, 3 over-current flags): the agent's RSS budget.
void BM_HistoryFullHeap(benchmark::State& state) {
  Tree tree("jetson_orin_jp5");
  edgeml::SystemClock clock;
  Collector c(tree.roots(), clock);
  Snapshot s = c.sample();
  double bytes = 0;
  for (auto _ : state) {
    size_t before = mallinfo2().uordblks;
    {
      History h;
      for (size_t i = 0; i < h.capacity(); ++i) h.push(s);
      bytes = double(mallinfo2().uordblks - before);
      benchmark::DoNotOptimize(h.size());
    }
  }
  state.counters["history_MiB"] = bytes / (1024.0 * 1024.0);
  state.counters["bytes_per_snapshot"] = bytes / (3600.0 * 2);
}
BENCHMARK(BM_HistoryFullHeap)->Iterations(3)->Unit(benchmark::kMillisecond);
}  // namespace

BENCHMARK_MAIN();
