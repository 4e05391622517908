// The baseline for the wrapper-overhead goal: the least code that times a model on ONNX Runtime through its C API
// directly, with the same session settings as src/runtime/ort_runtime.cpp (intra-op threads, one inter-op thread,
// sequential execution, all graph optimizations). It links nothing of ours.
//   bare_ort_latency MODEL THREADS ITERATIONS WARMUP  ->  "median_ms mean_ms p99_ms"
#include <onnxruntime_c_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

static const OrtApi* g_api = OrtGetApiBase()->GetApi(ORT_API_VERSION);

static void check(OrtStatus* st) {
  if (!st) return;
  std::fprintf(stderr, "ONNX Runtime: %s\n", g_api->GetErrorMessage(st));
  std::exit(1);
}

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: bare_ort_latency MODEL THREADS ITERATIONS WARMUP\n");
    return 2;
  }
  const int threads = std::atoi(argv[2]), iterations = std::atoi(argv[3]), warmup = std::atoi(argv[4]);
  OrtEnv* env;
  check(g_api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "bare", &env));
  OrtSessionOptions* opts;
  check(g_api->CreateSessionOptions(&opts));
  check(g_api->SetIntraOpNumThreads(opts, threads));
  check(g_api->SetInterOpNumThreads(opts, 1));
  check(g_api->SetSessionExecutionMode(opts, ORT_SEQUENTIAL));
  check(g_api->SetSessionGraphOptimizationLevel(opts, ORT_ENABLE_ALL));
  OrtSession* session;
  check(g_api->CreateSession(env, argv[1], opts, &session));

  OrtAllocator* alloc;
  check(g_api->GetAllocatorWithDefaultOptions(&alloc));
  char *in_name, *out_name;
  check(g_api->SessionGetInputName(session, 0, alloc, &in_name));
  check(g_api->SessionGetOutputName(session, 0, alloc, &out_name));
  const int64_t shape[] = {1, 3, 224, 224};
  std::vector<float> input(3 * 224 * 224, 0.5f);
  OrtMemoryInfo* mi;
  check(g_api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &mi));
  OrtValue* in_value = nullptr;
  check(g_api->CreateTensorWithDataAsOrtValue(mi, input.data(), input.size() * sizeof(float), shape, 4,
                                              ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &in_value));

  std::vector<double> ms;
  for (int i = 0; i < warmup + iterations; ++i) {
    OrtValue* out_value = nullptr;
    const auto t0 = std::chrono::steady_clock::now();
    check(g_api->Run(session, nullptr, &in_name, &in_value, 1, &out_name, 1, &out_value));
    const auto t1 = std::chrono::steady_clock::now();
    g_api->ReleaseValue(out_value);
    if (i >= warmup) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%.4f %.4f %.4f\n", ms[ms.size() / 2], std::accumulate(ms.begin(), ms.end(), 0.0) / ms.size(),
              ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]);
  return 0;
}
