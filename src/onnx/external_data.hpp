#pragma once
// ONNX models may keep initializers in a side file (".onnx.data"). OpenCV 4.6 dies with SIGFPE on such files, and
// ONNX Runtime refuses small shape tensors stored outside, so the runtime inlines them first.
#include <filesystem>
#include <string>

namespace edgeml::onnx {

// Serialized ModelProto with every external initializer read into raw_data. Locations are resolved relative to the
// model's folder; absolute paths and ".." are refused (std::runtime_error naming the location).
std::string inline_external_data(const std::filesystem::path& model);
bool has_external_data(const std::filesystem::path& model);

}  // namespace edgeml::onnx
