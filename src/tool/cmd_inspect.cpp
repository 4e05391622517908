// edgeml inspect FILE [--json]: what a model file is and what it costs (see src/onnx/inspector.hpp). Exits 1 when
// the file is of no format we know (after printing what was found), so scripts can tell.
#include <cstdio>
#include <iostream>
#include <map>

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

std::string counts_text(const std::map<std::string, int64_t>& counts) {
  std::string s;
  for (const auto& [name, n] : counts) s += (s.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return s;
}

void print_table(const edgeml::onnx::InspectResult& r) {
  auto row = [](const char* key, const std::string& value) { std::printf("%-26s %s\n", key, value.c_str()); };
  row("format", r.format);
  row("size_mb", edgeml::format_number(r.size_mb, 3));
  if (!r.refusal.empty()) row("runnable", "no: " + r.refusal);
  if (!r.graph_stats && !r.params_only) {
    row("details", "unavailable: " + r.unavailable);
    for (const auto& n : r.notes) row("note", n);
    return;
  }
  row("params", std::to_string(r.params) + " (" + edgeml::format_number(r.params / 1e6, 3) + " M)");
  if (!r.weight_types.empty()) row("weight types", counts_text(r.weight_types));
  if (r.params_only) {
    row("details", "unavailable: " + r.unavailable);
    for (const auto& n : r.notes) row("note", n);
    return;
  }
  row("gmacs", edgeml::format_number(r.macs / 1e9, 4));
  row("gflops", edgeml::format_number(r.flops / 1e9, 4));
  row("input", r.input_name + " " + shape_text(r.input_shape) + (r.input_type.empty() ? "" : " " + r.input_type));
  if (r.format == "onnx") row("opset", std::to_string(r.opset) + " (IR " + std::to_string(r.ir_version) + ")");
  row("producer", r.producer.empty() ? "(not recorded)" : r.producer);
  row("nodes", std::to_string(r.nodes));
  row("ops", counts_text(r.ops));
  if (!r.unsupported_ops.empty()) row("unsupported ops", counts_text(r.unsupported_ops));
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
                 "  format, size, and for ONNX and TFLite: params, GMACs, GFLOPs, input shape and type, weight types,\n"
                 "  op histogram (TFLite: operators this build cannot run); for PyTorch: params and weight types\n");
    return flags.has("--help") ? 0 : 2;
  }
  auto result = edgeml::onnx::inspect_file(flags.positional()[0]);
  if (flags.has("--json"))
    std::cout << edgeml::onnx::inspect_to_json(result).dump() << "\n";
  else
    print_table(result);
  if (result.format == "unknown") {
    std::fprintf(stderr, "edgeml inspect: %s: %s\n", flags.positional()[0].c_str(), result.unavailable.c_str());
    return 1;
  }
  return 0;
}

edgeml::tool::Registrar reg{"inspect", "format, params, MACs/FLOPs, input shape and ops of a model file", run_inspect};

}  // namespace
