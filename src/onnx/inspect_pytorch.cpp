// PyTorch files: parameters and weight types from the tensors torch.save stored (pytorch_state_dict.hpp). A state
// dict has no graph, so MACs, FLOPs and the input shape stay unknown, and running it is refused with the way out.
#include "onnx/format_inspectors.hpp"
#include "onnx/pytorch_state_dict.hpp"

namespace edgeml::onnx {

void inspect_pytorch(std::string_view bytes, InspectResult& r) {
  const auto tensors = read_torch_tensors(bytes);
  int64_t buffers = 0;
  for (const auto& t : tensors) {
    if (!is_parameter(t)) {
      ++buffers;
      continue;
    }
    r.params += t.numel();
    r.weight_types[t.dtype] += t.numel();
  }
  r.params_only = true;
  r.nodes = 0;
  r.unavailable =
      "a PyTorch file holds weights, not a graph: MACs/FLOPs and the input shape need the model's code; export it to "
      "ONNX (torch.onnx.export) to count them";
  r.refusal = "no runtime for pytorch in this build: export it to ONNX (torch.onnx.export) and deploy the .onnx file";
  r.notes.push_back(std::to_string(tensors.size()) + " tensors in the file; " + std::to_string(buffers) +
                    " buffers (BatchNorm running statistics, integer tensors) not counted as parameters");
}

}  // namespace edgeml::onnx
