#include "bench/model_features.hpp"

#include "onnx/inspector.hpp"

namespace edgeml::bench {

StaticFeatures static_features(const std::filesystem::path& model) {
  StaticFeatures f;
  f.size_mb = static_cast<double>(std::filesystem::file_size(model)) / (1024.0 * 1024.0);
  const auto info = edgeml::onnx::inspect_file(model);
  f.size_mb = info.size_mb;  // includes external data
  if (!info.graph_stats) {
    f.note = "params/GFLOPs/GMACs unavailable: " + info.unavailable;
    return f;
  }
  f.params_m = static_cast<double>(info.params) / 1e6;
  f.gmacs = info.macs / 1e9;
  f.gflops = info.flops / 1e9;
  for (const auto& [key, value] : info.metadata)
    if (key == "weights") f.note = "weights: " + value;  // e.g. the zoo's placeholder-weights statement
  return f;
}

}  // namespace edgeml::bench
