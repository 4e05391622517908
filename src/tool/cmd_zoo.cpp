// edgeml zoo build NAME... --out DIR | --all ; edgeml zoo --list
// Writes the standard edge architectures as ONNX graphs with seeded placeholder weights (src/onnx/zoo.hpp).
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "common/error.hpp"
#include "common/strings.hpp"
#include "onnx/zoo.hpp"
#include "tool/command.hpp"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: edgeml zoo build NAME... --out DIR\n"
               "       edgeml zoo build --all --out DIR\n"
               "       edgeml zoo --list\n"
               "  ONNX graphs (opset 14, input 1x3x224x224, logits 1x1000) of standard edge architectures under their\n"
               "  timm/torchvision names; weights are seeded placeholders for benchmarking, not accuracy.\n");
}

int run_zoo(const edgeml::tool::Args& args) {
  edgeml::tool::Flags flags(args, {"--out"}, {"--all", "--list", "--help"});
  if (flags.has("--help")) {
    usage();
    return 0;
  }
  if (flags.has("--list")) {
    for (const auto& name : edgeml::onnx::zoo_names()) std::printf("%s\n", name.c_str());
    return 0;
  }
  const auto& pos = flags.positional();
  if (pos.empty() || pos[0] != "build") {
    usage();
    return 2;
  }
  std::vector<std::string> names(pos.begin() + 1, pos.end());
  if (flags.has("--all")) {
    if (!names.empty()) throw edgeml::FieldError("--all", "give model names or --all, not both");
    names = edgeml::onnx::zoo_names();
  }
  if (names.empty()) throw edgeml::FieldError("name", "no model named; see edgeml zoo --list");
  if (!flags.has("--out")) throw edgeml::FieldError("--out", "--out DIR is required");
  for (const auto& n : names)
    if (!edgeml::onnx::zoo_has(n))
      throw edgeml::FieldError("name", "no zoo model named '" + n + "' (see edgeml zoo --list)");
  const std::filesystem::path out = flags.get("--out");
  std::filesystem::create_directories(out);
  for (size_t i = 0; i < names.size(); ++i) {
    auto start = std::chrono::steady_clock::now();
    const auto path = out / (names[i] + ".onnx");
    edgeml::onnx::zoo_write(names[i], path);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "[%zu/%zu] %s (%s MB, %s s)\n", i + 1, names.size(), path.c_str(),
                 edgeml::format_number(std::filesystem::file_size(path) / 1048576.0, 1).c_str(),
                 edgeml::format_number(s, 2).c_str());
  }
  return 0;
}

edgeml::tool::Registrar reg{"zoo", "write standard edge architectures as ONNX (placeholder weights)", run_zoo};

}  // namespace
