#pragma once
// The static columns of a benchmark row (params, GFLOPs, GMACs, size), measured on the model file itself.
#include <filesystem>
#include <optional>
#include <string>

namespace edgeml::bench {

struct StaticFeatures {
  std::optional<double> params_m, gflops, gmacs;  // from the ONNX inspector; empty without it
  double size_mb = 0;                             // file size in MiB
  std::string note;                               // why a feature is empty, or ""
};

StaticFeatures static_features(const std::filesystem::path& model);

}  // namespace edgeml::bench
