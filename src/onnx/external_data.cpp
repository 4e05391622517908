#include "onnx/external_data.hpp"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <map>
#include <stdexcept>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/strings.hpp"
#include "onnx/external_refs.hpp"

namespace edgeml::onnx {

namespace fs = std::filesystem;

ExternalRef external_ref(const ::onnx::TensorProto& tensor) {
  ExternalRef ref;
  bool has_location = false;
  for (const auto& kv : tensor.external_data()) {
    if (kv.key() == "location") {
      ref.location = kv.value();
      has_location = true;
    } else if (kv.key() == "offset" || kv.key() == "length") {
      auto v = parse_int(kv.value());
      if (!v || *v < 0)
        throw std::runtime_error("tensor '" + tensor.name() + "': external data " + kv.key() + " '" + kv.value() +
                                 "' is not a non-negative integer");
      (kv.key() == "offset" ? ref.offset : ref.length.emplace()) = static_cast<uint64_t>(*v);
    }
  }
  if (!has_location || ref.location.empty())
    throw std::runtime_error("tensor '" + tensor.name() + "': external data has no location");
  fs::path loc(ref.location);
  if (loc.is_absolute() || ref.location.front() == '/' || ref.location.front() == '\\')
    throw std::runtime_error("tensor '" + tensor.name() + "': external data location '" + ref.location +
                             "' is absolute; only files next to the model are allowed");
  for (const auto& part : loc)
    if (part == "..")
      throw std::runtime_error("tensor '" + tensor.name() + "': external data location '" + ref.location +
                               "' contains '..'; only files next to the model are allowed");
  return ref;
}

std::optional<uint64_t> expected_data_bytes(const ::onnx::TensorProto& tensor) {
  uint64_t element = 0;
  switch (tensor.data_type()) {
    case ::onnx::TensorProto::FLOAT:
    case ::onnx::TensorProto::INT32:
    case ::onnx::TensorProto::UINT32:
      element = 4;
      break;
    case ::onnx::TensorProto::DOUBLE:
    case ::onnx::TensorProto::INT64:
    case ::onnx::TensorProto::UINT64:
      element = 8;
      break;
    case ::onnx::TensorProto::FLOAT16:
    case ::onnx::TensorProto::BFLOAT16:
    case ::onnx::TensorProto::INT16:
    case ::onnx::TensorProto::UINT16:
      element = 2;
      break;
    case ::onnx::TensorProto::INT8:
    case ::onnx::TensorProto::UINT8:
    case ::onnx::TensorProto::BOOL:
      element = 1;
      break;
    default:
      return std::nullopt;
  }
  uint64_t n = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0) return std::nullopt;
    n *= static_cast<uint64_t>(d);
  }
  return n * element;
}

uint64_t checked_external_length(const ::onnx::TensorProto& tensor, const ExternalRef& ref, const fs::path& model_dir) {
  const fs::path file = model_dir / ref.location;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw std::runtime_error("tensor '" + tensor.name() + "': external data file '" + file.string() + "' not found");
  const uint64_t size = fs::file_size(file, ec);
  if (ec) throw std::runtime_error("tensor '" + tensor.name() + "': cannot stat '" + file.string() + "'");
  if (ref.offset > size)
    throw std::runtime_error("tensor '" + tensor.name() + "': external data offset " + std::to_string(ref.offset) +
                             " is past the end of '" + file.string() + "' (" + std::to_string(size) + " bytes)");
  const uint64_t length = ref.length.value_or(size - ref.offset);
  if (length > size - ref.offset)
    throw std::runtime_error("tensor '" + tensor.name() + "': external data [" + std::to_string(ref.offset) + ", +" +
                             std::to_string(length) + ") runs past the end of '" + file.string() + "' (" +
                             std::to_string(size) + " bytes)");
  if (auto want = expected_data_bytes(tensor); want && *want != length)
    throw std::runtime_error("tensor '" + tensor.name() + "': external data holds " + std::to_string(length) +
                             " bytes but its shape and type need " + std::to_string(*want));
  return length;
}

namespace {

::onnx::ModelProto parse_model_file(const fs::path& model) {
  std::string bytes = read_file(model);
  ::onnx::ModelProto proto;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw std::runtime_error("'" + model.string() + "' is not a valid ONNX model (protobuf parse failed)");
  return proto;
}

bool is_external(const ::onnx::TensorProto& t) { return t.data_location() == ::onnx::TensorProto::EXTERNAL; }

}  // namespace

bool has_external_data(const fs::path& model) {
  ::onnx::ModelProto proto = parse_model_file(model);
  for (const auto& t : proto.graph().initializer())
    if (is_external(t)) return true;
  return false;
}

std::string inline_external_data(const fs::path& model) {
  ::onnx::ModelProto proto = parse_model_file(model);
  const fs::path dir = model.parent_path();
  std::map<std::string, std::string> files;  // location -> whole file, read once
  for (auto& t : *proto.mutable_graph()->mutable_initializer()) {
    if (!is_external(t)) continue;
    ExternalRef ref = external_ref(t);
    uint64_t length = checked_external_length(t, ref, dir);
    auto it = files.find(ref.location);
    if (it == files.end()) it = files.emplace(ref.location, read_file(dir / ref.location)).first;
    t.set_raw_data(it->second.substr(ref.offset, length));
    t.clear_external_data();
    t.clear_data_location();  // DEFAULT; cleared rather than set so an inlined model serializes like a saved one
  }
  std::string out;
  if (!proto.SerializeToString(&out))
    throw std::runtime_error("'" + model.string() + "': inlined model cannot be serialized (over 2 GiB?)");
  return out;
}

}  // namespace edgeml::onnx
