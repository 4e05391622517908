// edgeml inspect FILE [--json]: what a model file is and what it costs (see src/onnx/inspector.hpp).
#include <cstdio>
#include <iostream>

#include "common/error.hpp"
#include "common/strings.hpp"
#include "onnx/inspector.hpp"
#include "tool/command.hpp"

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  return s.empty() ? "unknown" : s;
}

void print_table(const edgeml::onnx::InspectResult& r) {
  auto row = [](const char* key, const std::string& value) { std::printf("%-26s %s\n", key, value.c_str()); };
  row("format", r.format);
  row("size_mb", edgeml::format_number(r.size_mb, 3));
  if (!r.graph_stats) {
    row("details", "unavailable: " + r.unavailable);
    return;
  }
  row("params", std::to_string(r.params) + " (" + edgeml::format_number(r.params / 1e6, 3) + " M)");
  row("gmacs", edgeml::format_number(r.macs / 1e9, 4));
  row("gflops", edgeml::format_number(r.flops / 1e9, 4));
  row("input", r.input_name + " " + shape_text(r.input_shape));
  row("opset", std::to_string(r.opset) + " (IR " + std::to_string(r.ir_version) + ")");
  row("producer", r.producer.empty() ? "(not recorded)" : r.producer);
  row("nodes", std::to_string(r.nodes));
  std::string ops;
  for (const auto& [op, n] : r.ops) ops += (ops.empty() ? "" : ", ") + op + " " + std::to_string(n);
  row("ops", ops);
  if (!r.external_files.empty()) {
    std::string files;
    for (const auto& f : r.external_files) files += (files.empty() ? "" : ", ") + f;
    row("external data", files + " (" + std::to_string(r.external_bytes) + " bytes)");
  }
  for (const auto& [k, v] : r.metadata) row(("meta " + k).c_str(), v);
  for (const auto& n : r.notes) row("note", n);
}

int run_inspect(const edgeml::tool::Args& args) {
  edgeml::tool::Flags flags(args, {}, {"--json", "--help"});
  if (flags.has("--help") || flags.positional().size() != 1) {
    std::fprintf(stderr,
                 "usage: edgeml inspect FILE [--json]\n"
                 "  format, size, and for ONNX: params, GMACs, GFLOPs, input shape, opset, op histogram\n");
    return flags.has("--help") ? 0 : 2;
  }
  auto result = edgeml::onnx::inspect_file(flags.positional()[0]);
  if (flags.has("--json"))
    std::cout << edgeml::onnx::inspect_to_json(result).dump() << "\n";
  else
    print_table(result);
  return 0;
}

edgeml::tool::Registrar reg{"inspect", "format, params, MACs/FLOPs, input shape and ops of a model file", run_inspect};

}  // namespace
