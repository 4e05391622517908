#pragma once
// What a model file is and what it costs: format, size, and
//   ONNX:    parameter count, MACs/FLOPs (op_cost.hpp's convention), input shape and type, weight types, opset, op
//            histogram, producer and metadata;
//   TFLite:  the same figures read from the file itself (src/tflite/describe.hpp, same convention), its operator
//            histogram, and the operators this build cannot run, listed by name as a refusal;
//   PyTorch: parameters and weight types from the state dict's tensor shapes (read from the zip/pickle container,
//            no Python); no graph, so no MACs, and running it is refused with the way out (export to ONNX).
// Any bad input -- empty, truncated, corrupt, over the size limit, unsafe external-data paths -- is a
// std::runtime_error whose message says what is wrong; a missing file is a NotFoundError.
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeml::onnx {

struct InspectOptions {
  // Protobuf cannot parse a message over 2 GiB; bigger ONNX models keep their weights in external data.
  uint64_t max_bytes = (uint64_t{2} << 30) - 1;
};

struct InspectResult {
  std::string format;  // onnx, tflite, pytorch, unknown
  uint64_t file_bytes = 0;
  uint64_t external_bytes = 0;  // weights in .onnx.data side files
  double size_mb = 0;           // (file + external data) / 2^20

  // graph_stats: params and MACs/FLOPs were counted (ONNX, TFLite); false otherwise, `unavailable` says why.
  bool graph_stats = false;
  std::string unavailable;
  int64_t params =
      0;  // elements of stored weights; BN running mean/var, shapes, scalars and quantization params excluded
  double macs = 0, flops = 0;
  std::string input_name;
  std::vector<int64_t> input_shape;                // -1 for a dimension the file leaves open
  std::string input_type;                          // "float32", "int8", ...
  std::map<std::string, int64_t> weight_types;     // storage type of the counted parameters -> elements
  std::map<std::string, int64_t> unsupported_ops;  // operators this build cannot run -> count
  std::string refusal;                             // why the runtimes will not run this file ("" when they can)
  bool params_only = false;                        // PyTorch: params and weight types known, no graph
  int64_t opset = 0, ir_version = 0;
  std::string producer;
  int64_t nodes = 0;
  std::map<std::string, int64_t> ops;  // op type -> count ("domain.Op" outside the default domain)
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<std::string> external_files;
  std::vector<std::string> notes;  // assumptions and what could not be counted, for the user to see
};

InspectResult inspect_file(const std::filesystem::path& path, const InspectOptions& options = {});
// model_dir: where external data files live (empty: not available, e.g. an upload; sizes come from the model).
InspectResult inspect_bytes(std::string_view bytes, const std::filesystem::path& model_dir = {},
                            const InspectOptions& options = {});

// {"format","size_mb","file_bytes","params","gmacs","gflops","input_name","input_shape","input_type","weight_types",
//  "opset","ir_version","producer","nodes","ops","unsupported_ops","runnable","refusal","metadata",
//  "external_data":{"files","bytes"},"notes"}; fields a format does not have are null, and "unavailable" gives the
// reason when nothing could be counted.
nlohmann::json inspect_to_json(const InspectResult& result);

}  // namespace edgeml::onnx
