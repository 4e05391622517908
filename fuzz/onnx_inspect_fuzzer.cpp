// The model inspector on an uploaded file (POST /api/models/analyze, `edgeml inspect`): format detection, then the
// ONNX reader (protobuf, checker, shape inference, op costs), the TFLite facts, or the PyTorch state-dict reader
// (zip container and pickle), and the JSON the route and the CLI print.
//
// Input: the file's bytes (no external-data folder, as for an upload).
//
// Promises checked (onnx/inspector.hpp): bad input is a std::runtime_error saying what is wrong; what is read gives
// finite, non-negative counts; the JSON serialises (the CLI prints it with dump(), which refuses invalid UTF-8).
#include <cmath>
#include <string>

#include "fuzz_support.hpp"
#include "onnx/inspector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using edgeml::fuzz::expect;
  edgeml::onnx::InspectResult r;
  try {
    r = edgeml::onnx::inspect_bytes(edgeml::fuzz::as_text(data, size));
  } catch (const std::runtime_error& e) {
    edgeml::fuzz::note(std::string("refused: ") + e.what());
    return 0;  // documented: empty, truncated, corrupt, over the limit
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "inspect_bytes");
  }
  edgeml::fuzz::note("read as " + r.format + (r.graph_stats ? ", " + std::to_string(r.nodes) + " nodes" : "") +
                     (r.unavailable.empty() ? "" : " (" + r.unavailable + ")"));
  expect(r.file_bytes == size, "file_bytes is not the input's size");
  expect(!r.graph_stats || r.format == "onnx" || r.format == "tflite", "graph stats for format " + r.format);
  expect(r.params >= 0, "negative parameter count " + std::to_string(r.params));
  expect(std::isfinite(r.macs) && r.macs >= 0 && std::isfinite(r.flops) && r.flops >= 0,
         "MACs/FLOPs not finite and non-negative: " + std::to_string(r.macs) + " / " + std::to_string(r.flops));
  try {
    (void)edgeml::onnx::inspect_to_json(r).dump();
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "inspect_to_json(...).dump()");
  }
  return 0;
}
