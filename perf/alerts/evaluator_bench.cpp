// One telemetry sample (8 values) through the evaluator, for a fleet of N devices and R rules of all scopes: what the
// controller spends per stored sample. Also the state's JSON size and time (stored after samples that changed it).
#include <benchmark/benchmark.h>

#include "alerts/evaluator.hpp"

using namespace edgeml;
using namespace edgeml::alerts;

namespace {

AlertEvaluator make(int devices, int rules) {
  AlertEvaluator ev;
  std::vector<AlertRule> list;
  const char* metrics[] = {"temperature_c", "power_w", "cpu_ratio", "memory_ratio"};
  const char* scopes[] = {"all", "group:lab", "device_type:jetson_nano", "device:dev-7"};
  for (int i = 0; i < rules; ++i)
    list.push_back(parse_rule({{"name", "rule-" + std::to_string(i)},
                               {"metric", metrics[i % 4]},
                               {"op", ">"},
                               {"threshold", i % 4 < 2 ? 50.0 : 0.5},
                               {"for_s", 60},
                               {"scope", scopes[(i / 4) % 4]}}));
  ev.set_rules(list, 0);
  std::vector<DeviceIdentity> fleet;
  for (int d = 0; d < devices; ++d)
    fleet.push_back({"dev-" + std::to_string(d), d % 2 ? "lab" : "field", d % 3 ? "rpi5" : "jetson_nano"});
  ev.set_devices(fleet);
  return ev;
}

MetricSample sample(int device, double t, bool hot) {
  MetricSample s;
  s.device = "dev-" + std::to_string(device);
  s.t_s = t;
  s.temperature_c = hot ? 60 : 40;
  s.power_w = hot ? 60 : 4;
  s.cpu_ratio = 0.3;
  s.memory_ratio = 0.4;
  s.storage_ratio = 0.2;
  s.inference_p50_s = 0.01;
  s.energy_per_inference_mj = 12;
  s.energy_vs_prediction_factor = 1.1;
  return s;
}

void BM_ObserveSample(benchmark::State& state) {
  const int devices = static_cast<int>(state.range(0)), rules = static_cast<int>(state.range(1));
  AlertEvaluator ev = make(devices, rules);
  double t = 0;
  int d = 0;
  for (auto _ : state) {
    // Every 50th sample crosses a threshold, so states are created and dropped as in a real fleet.
    auto out = ev.observe(observations(sample(d, t, (static_cast<int>(t) / 50) % 2 == 1)));
    benchmark::DoNotOptimize(out);
    d = (d + 1) % devices;
    t += 1.0 / devices;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ObserveSample)->Args({10, 8})->Args({1000, 8})->Args({1000, 64});

void BM_StateJson(benchmark::State& state) {
  const int devices = static_cast<int>(state.range(0));
  AlertEvaluator ev = make(devices, 8);
  for (int d = 0; d < devices; ++d) ev.observe(observations(sample(d, 0, true)));  // every alert pending
  size_t bytes = 0;
  for (auto _ : state) {
    std::string s = ev.state_json().dump();
    bytes = s.size();
    benchmark::DoNotOptimize(s);
  }
  state.counters["state_bytes"] = static_cast<double>(bytes);
  state.counters["active_alerts"] = static_cast<double>(ev.active().size());
}
BENCHMARK(BM_StateJson)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
