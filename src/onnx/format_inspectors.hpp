#pragma once
// The inspector's readers for formats other than ONNX (one file each). Each fills `r` from the bytes or throws
// std::runtime_error (edgeml::Error) saying what is wrong with the file.
#include <string_view>

#include "onnx/inspector.hpp"

namespace edgeml::onnx {

void inspect_tflite(std::string_view bytes, InspectResult& r);
void inspect_pytorch(std::string_view bytes, InspectResult& r);

}  // namespace edgeml::onnx
