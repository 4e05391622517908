// One energy prediction, end to end through PredictorSet::predict (input checks, features, model, interval), for
// every formulation the trainer can choose, on models trained on the real Jetson file.
//   predictor_bench [--data PATH] [google-benchmark flags]
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <string>

#include "catalog/catalog.hpp"
#include "predictor/predictor_set.hpp"

using namespace edgeml::predictor;

namespace {

std::string g_data = std::string(EDGEML_SHARED_DATA) + "/124_models_benchmark_jetson.csv";

Inputs example(bool with_latency) {
  Inputs in;  // resnet101 as the catalog has it
  in.params_m = 44.55;
  in.gflops = 15.73;
  in.gmacs = 7.87;
  in.size_mb = 170.59;
  if (with_latency) {
    in.latency_avg_s = 0.5097;
    in.throughput_iter_per_s = 1 / 0.5097;
  }
  return in;
}

// One PredictorSet per formulation: the measured predictor restricted to that formulation.
void BM_Predict(benchmark::State& state, std::string formulation, bool with_latency) {
  edgeml::catalog::Catalog catalog;
  catalog.load(edgeml::catalog::DataSource::parse(g_data));
  TrainSettings s;
  s.cv.repeats = 1;
  s.formulations = {formulation};
  if (!with_latency) s.formulations.push_back("ridge_log_energy");  // static needs one static-capable formulation
  auto set = std::make_unique<PredictorSet>(PredictorSet::train_or_load(catalog, "", s, {}));
  const Inputs in = example(with_latency);
  for (auto _ : state) {
    Prediction p = set->predict("jetson_nano", in);
    benchmark::DoNotOptimize(p.prediction_mwh);
  }
  state.SetLabel(std::string(set->predict("jetson_nano", in).predictor));
  set.reset();  // before exit: XGBoost's thread-local tables must outlive the boosters
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--data") == 0) g_data = argv[i + 1];
  for (const char* f : {"ridge_log_energy", "rf_log_energy", "gbm_raw_energy", "gbm_log_energy", "power_time_ridge",
                        "power_time_gbm", "power_time_throughput"})
    benchmark::RegisterBenchmark((std::string("measured/") + f).c_str(), BM_Predict, std::string(f), true);
  benchmark::RegisterBenchmark("static/ridge_log_energy", BM_Predict, std::string("ridge_log_energy"), false);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
