#pragma once
// The tensors a PyTorch file (torch.save) holds, read without Python: the zip container's data.pkl (or the legacy
// pre-1.6 sequence of pickles) is run through a small pickle interpreter that understands only what torch.save
// writes -- containers, strings, numbers, globals, and torch's tensor rebuild calls with persistent storage ids --
// and records each tensor's name (its key path), shape and dtype. Tensor data is never read. Any other pickle
// opcode, a compressed or zip64 entry, or a malformed stream is an Error(bad_field, field "model") naming it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgeml::onnx {

struct TorchTensor {
  std::string name;  // "features.0.weight"; "[3]" for list items
  std::vector<int64_t> shape;
  std::string dtype;  // "float32", "float16", "bfloat16", "float64", "int8", "uint8", "int32", "int64", "bool", ...
  int64_t numel() const;
};

std::vector<TorchTensor> read_torch_tensors(std::string_view bytes);

// Parameters: tensors of a floating or quantized dtype, except BatchNorm buffers (running_mean, running_var,
// num_batches_tracked), as timm and torchvision count them.
bool is_parameter(const TorchTensor& t);

}  // namespace edgeml::onnx
