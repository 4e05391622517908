#pragma once
// How a loaded model wants its input: the tensor layout and the pixel convention, and where that answer came from.
// Defined once here and used by both backends (they declare it at load) and by the agent (which feeds images with
// it and shows it in /status).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace edgeml::runtime {

enum class Layout { nchw, nhwc, flat };  // flat: not an image tensor (raw float32 input only)

// What one pixel channel value v in 0..255 becomes:
enum class Convention {
  raw_0_255,          // v (the model scales itself, e.g. a Keras Rescaling layer)
  unit_0_1,           // v / 255
  imagenet_mean_std,  // (v / 255 - mean[c]) / std[c], ImageNet mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)
  minus1_1,           // v / 127.5 - 1
};

struct InputSpec {
  Layout layout = Layout::nchw;
  Convention convention = Convention::imagenet_mean_std;
  std::string source;  // "model metadata", "deploy request", "model graph: ...", "default for ..."
};

std::string to_string(Layout layout);          // "NCHW", "NHWC", "flat"
std::string to_string(Convention convention);  // "raw_0_255", "unit_0_1", "imagenet_mean_std", "minus1_1"
// Parses a convention name; throws FieldError(field) listing the accepted names.
Convention parse_convention(const std::string& text, const std::string& field = "preprocess");

// {"layout": "NHWC", "convention": "raw_0_255", "source": "..."}
nlohmann::json to_json(const InputSpec& spec);

// Metadata keys a model may carry to state its convention (ONNX metadata_props, TFLite metadata names).
extern const char* const kConventionMetadataKey;  // "edgeml.preprocess"

// The layout implied by an input shape: [N,3,H,W] -> NCHW, [N,H,W,3] -> NHWC (also 1 or 4 channels), else flat.
Layout layout_from_shape(const std::vector<int64_t>& shape);

}  // namespace edgeml::runtime
