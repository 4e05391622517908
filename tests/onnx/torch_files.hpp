#pragma once
// torch.save-style files written byte by byte, without Python, for the PyTorch reader's tests and as fuzzing seeds
// (fuzz/seeds): a protocol 2 pickle of a flat state dict (the subset torch.save emits: OrderedDict,
// _rebuild_tensor_v2 with persistent storage ids); tests/support/torch_zip.hpp wraps it in torch.save's zip.
#include <string>

namespace edgeml::onnx::testing {

// {conv.weight [4,1,3,3] float, bn.weight/bias/running_mean/running_var [4] float, bn.num_batches_tracked long,
//  fc.weight [10,4] half}: 84 parameters (running stats and the counter are buffers).
std::string state_dict_pickle();

}  // namespace edgeml::onnx::testing
