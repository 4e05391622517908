// Model file format from its leading bytes. Only ONNX has a runtime here; TFLite and PyTorch files are stored and
// served but refused when asked to run.
#include <onnx/onnx_pb.h>

#include <array>
#include <fstream>

#include "runtime/runtime.hpp"

namespace edgeml::runtime {

namespace {
// A full parse is the only reliable ONNX test (protobuf has no magic number), but it is only tried on files that
// start like one: every ONNX writer we know emits ir_version (field 1, varint, tag 0x08) first.
bool parses_as_onnx(const std::filesystem::path& model) {
  std::ifstream in(model, std::ios::binary);
  ::onnx::ModelProto proto;
  if (!proto.ParseFromIstream(&in)) return false;
  return proto.ir_version() > 0 && proto.has_graph();
}
}  // namespace

std::string detect_format(const std::filesystem::path& model) {
  std::ifstream in(model, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read model file " + model.string());
  std::array<unsigned char, 8> head{};
  in.read(reinterpret_cast<char*>(head.data()), head.size());
  const auto got = static_cast<size_t>(in.gcount());
  if (got >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3') return "tflite";
  if (got >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return "pytorch";  // torch.save zip
  if (got >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5) return "pytorch";  // legacy pickle torch.save
  if (got >= 1 && head[0] == 0x08 && parses_as_onnx(model)) return "onnx";
  return "unknown";
}

void require_onnx(const std::filesystem::path& model) {
  const std::string format = detect_format(model);
  if (format == "onnx") return;
  if (format == "unknown") throw RuntimeRefusal(model.filename().string() + " is not a model format this build knows");
  throw RuntimeRefusal("no runtime for " + format + " in this build");
}

}  // namespace edgeml::runtime
