#pragma once
// Reading the external_data entries of a TensorProto (location, offset, length), shared by the inspector and the
// inliner. Locations are validated before any file is touched: relative, no "..", no empty name.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace onnx {
class TensorProto;
}

namespace edgeml::onnx {

struct ExternalRef {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
};

// Throws std::runtime_error naming the tensor when location is missing, absolute or climbs out with "..", or when
// offset/length are not numbers.
ExternalRef external_ref(const ::onnx::TensorProto& tensor);

// Bytes the tensor's data should take (elements x element size), or nullopt for types without a fixed size.
std::optional<uint64_t> expected_data_bytes(const ::onnx::TensorProto& tensor);

// Checks that [offset, offset + length) lies inside the file <model_dir>/<location>; returns the data length.
// Throws std::runtime_error naming the tensor and the file otherwise.
uint64_t checked_external_length(const ::onnx::TensorProto& tensor, const ExternalRef& ref,
                                 const std::filesystem::path& model_dir);

}  // namespace edgeml::onnx
