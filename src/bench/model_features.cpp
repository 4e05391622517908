#include "bench/model_features.hpp"

namespace edgeml::bench {

StaticFeatures static_features(const std::filesystem::path& model) {
  StaticFeatures f;
  f.size_mb = static_cast<double>(std::filesystem::file_size(model)) / (1024.0 * 1024.0);
  f.note = "params/GFLOPs/GMACs unavailable: this build has no ONNX inspector";
  return f;
}

}  // namespace edgeml::bench
