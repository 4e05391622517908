#pragma once
// Which kind of model file a byte string is, from its content alone (never its extension).
#include <filesystem>
#include <string>
#include <string_view>

namespace edgeml::onnx {

enum class ModelFormat { onnx, tflite, pytorch, unknown };

std::string to_string(ModelFormat f);  // "onnx", "tflite", "pytorch", "unknown"

// TFLite: FlatBuffer with the file identifier "TFL3" at offset 4.
// PyTorch: a zip archive ("PK\3\4") whose central directory lists a data.pkl or a version entry (torch.save format),
//   or a bare pickle stream (protocol 2-5: torch.save before 1.6).
// ONNX: a protobuf ModelProto; it has no magic number, so this answers onnx when the bytes start like one (the
//   ir_version field, tag 0x08, followed by a plausible version) and leaves the full parse to the inspector.
ModelFormat detect_format(std::string_view bytes);

// The same answer for a file, reading only what decides it: the head, and for a zip its end-of-central-directory
// record and central directory (at the end of the file), so a PyTorch archive of any size is recognised without
// reading it whole. The one detector both the controller's store and the agent's runtime use. Throws
// std::runtime_error naming the file when it cannot be read.
ModelFormat detect_file_format(const std::filesystem::path& path);

}  // namespace edgeml::onnx
