#include "onnx/zoo.hpp"

#include <functional>
#include <map>

#include "common/error.hpp"
#include "common/files.hpp"
#include "onnx/zoo_architectures.hpp"

namespace edgeml::onnx {

const char* const kPlaceholderWeightsNote =
    "placeholder: seeded random, for latency/energy benchmarking and deploy tests, not accuracy";

namespace {

struct ZooEntry {
  std::string source;  // whose definition the graph reproduces
  std::function<void(GraphBuilder&)> build;
};

const std::map<std::string, ZooEntry>& entries() {
  static const std::map<std::string, ZooEntry> zoo = {
      {"mobilenetv2_050", {"timm", [](GraphBuilder& g) { build_mobilenetv2(g, 0.5); }}},
      {"mobilenetv2_075", {"timm", [](GraphBuilder& g) { build_mobilenetv2(g, 0.75); }}},
      {"mobilenetv2_100", {"timm", [](GraphBuilder& g) { build_mobilenetv2(g, 1.0); }}},
      {"mobilenetv2_120d", {"timm", [](GraphBuilder& g) { build_mobilenetv2(g, 1.2, 1.4, true); }}},
      {"mobilenetv3_small_075", {"timm", [](GraphBuilder& g) { build_mobilenetv3(g, false, 0.75); }}},
      {"mobilenetv3_small_100", {"timm", [](GraphBuilder& g) { build_mobilenetv3(g, false, 1.0); }}},
      {"mobilenetv3_large_100", {"timm", [](GraphBuilder& g) { build_mobilenetv3(g, true, 1.0); }}},
      {"mnasnet_050", {"timm", [](GraphBuilder& g) { build_mnasnet(g, 0.5); }}},
      {"mnasnet_075", {"timm", [](GraphBuilder& g) { build_mnasnet(g, 0.75); }}},
      {"mnasnet_100", {"timm", [](GraphBuilder& g) { build_mnasnet(g); }}},
      {"ghostnet_100", {"timm", [](GraphBuilder& g) { build_ghostnet(g); }}},
      {"deit_tiny_patch16_224", {"timm", [](GraphBuilder& g) { build_vit(g, 192, 12, 3); }}},
      {"efficientnet_b0", {"timm", [](GraphBuilder& g) { build_efficientnet(g, false); }}},
      {"efficientnet_b1", {"timm", [](GraphBuilder& g) { build_efficientnet(g, false, 1.0, 1.1); }}},
      {"efficientnet_b2", {"timm", [](GraphBuilder& g) { build_efficientnet(g, false, 1.1, 1.2); }}},
      {"efficientnet_b3", {"timm", [](GraphBuilder& g) { build_efficientnet(g, false, 1.2, 1.4); }}},
      {"efficientnet_lite0", {"timm", [](GraphBuilder& g) { build_efficientnet(g, true); }}},
      {"regnetx_002",
       {"timm",
        [](GraphBuilder& g) {
          build_regnet(g, {24, 36.44, 2.49, 13, 8, 0});
        }}},
      {"regnetx_004",
       {"timm",
        [](GraphBuilder& g) {
          build_regnet(g, {24, 24.48, 2.54, 22, 16, 0});
        }}},
      {"regnety_002",
       {"timm",
        [](GraphBuilder& g) {
          build_regnet(g, {24, 36.44, 2.49, 13, 8, 0.25});
        }}},
      {"regnety_004",
       {"timm",
        [](GraphBuilder& g) {
          build_regnet(g, {48, 27.89, 2.09, 16, 8, 0.25});
        }}},
      {"regnety_006",
       {"timm",
        [](GraphBuilder& g) {
          build_regnet(g, {48, 32.54, 2.32, 15, 16, 0.25});
        }}},
      {"regnety_008",
       {"timm",
        [](GraphBuilder& g) {
          build_regnet(g, {56, 38.84, 2.4, 14, 16, 0.25});
        }}},
      {"resnet18", {"timm", [](GraphBuilder& g) { build_resnet(g, 18); }}},
      {"resnet34", {"timm", [](GraphBuilder& g) { build_resnet(g, 34); }}},
      {"resnet50", {"timm", [](GraphBuilder& g) { build_resnet(g, 50); }}},
      {"squeezenet1_0", {"torchvision", [](GraphBuilder& g) { build_squeezenet(g, false); }}},
      {"squeezenet1_1", {"torchvision", [](GraphBuilder& g) { build_squeezenet(g, true); }}},
      {"shufflenet_v2_x0_5", {"torchvision", [](GraphBuilder& g) { build_shufflenet_v2(g, 0.5); }}},
      {"shufflenet_v2_x1_0", {"torchvision", [](GraphBuilder& g) { build_shufflenet_v2(g, 1.0); }}},
  };
  return zoo;
}

// FNV-1a of the name: each model gets its own weights, the same ones on every build.
uint64_t seed_for(const std::string& name) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

std::vector<std::string> zoo_names() {
  std::vector<std::string> names;
  for (const auto& [name, entry] : entries()) names.push_back(name);
  return names;
}

bool zoo_has(const std::string& name) { return entries().count(name) > 0; }

std::string zoo_build(const std::string& name) {
  auto it = entries().find(name);
  if (it == entries().end()) throw NotFoundError("no zoo model named '" + name + "' (edgeml zoo --list shows them)");
  const uint64_t seed = seed_for(name);
  GraphBuilder g(seed);
  it->second.build(g);
  return g.serialize(name, {{"weights", kPlaceholderWeightsNote},
                            {"architecture", name},
                            {"architecture_source", it->second.source},
                            {"weights_seed", std::to_string(seed)},
                            {"input", "input: float [1,3,224,224], NCHW"},
                            {"output", "logits: float [1,1000]"}});
}

void zoo_write(const std::string& name, const std::filesystem::path& path) { write_file_atomic(path, zoo_build(name)); }

}  // namespace edgeml::onnx
