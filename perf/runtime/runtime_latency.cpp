// The same timing loop as bare_ort_latency.cpp, through our Runtime interface (either backend), including the
// output copy run() returns. Compared side by side by run.sh.
//   runtime_latency BACKEND MODEL THREADS ITERATIONS WARMUP  ->  "median_ms mean_ms p99_ms"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <numeric>
#include <vector>

#include "runtime/runtime.hpp"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: runtime_latency ort|opencv MODEL THREADS ITERATIONS WARMUP\n");
    return 2;
  }
  const int threads = std::atoi(argv[3]), iterations = std::atoi(argv[4]), warmup = std::atoi(argv[5]);
  try {
    auto rt = edgeml::runtime::make_runtime(argv[1]);
    rt->load(argv[2], {.threads = threads});
    std::vector<float> input(rt->input().element_count(), 0.5f);
    std::vector<double> ms;
    size_t sink = 0;
    for (int i = 0; i < warmup + iterations; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      sink += rt->run(input).size();
      const auto t1 = std::chrono::steady_clock::now();
      if (i >= warmup) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%.4f %.4f %.4f\n", ms[ms.size() / 2], std::accumulate(ms.begin(), ms.end(), 0.0) / ms.size(),
                ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]);
    return sink ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
