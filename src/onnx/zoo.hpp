#pragma once
// The model zoo: the standard edge architectures under their timm (or torchvision) names, written as ONNX graphs
// (IR 8, opset 14, input "input" [1,3,224,224] float, output "logits" [1,1000]) with deterministic seeded
// placeholder weights. The same name always gives byte-identical bytes. Good for latency/energy benchmarks and
// deploy tests, not for accuracy; each file's metadata_props says so under "weights".
#include <filesystem>
#include <string>
#include <vector>

namespace edgeml::onnx {

std::vector<std::string> zoo_names();  // sorted
bool zoo_has(const std::string& name);
// Serialized ModelProto. Throws NotFoundError naming the model for an unknown name.
std::string zoo_build(const std::string& name);
// zoo_build written with write_file_atomic.
void zoo_write(const std::string& name, const std::filesystem::path& path);

// What every zoo file's metadata_props["weights"] says.
extern const char* const kPlaceholderWeightsNote;

}  // namespace edgeml::onnx
