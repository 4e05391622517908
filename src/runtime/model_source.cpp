#include "runtime/model_source.hpp"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <set>

#include "common/error.hpp"
#include "common/files.hpp"
#include "onnx/model_format.hpp"
#include "runtime/runtime.hpp"
#include "tflite/importer.hpp"

namespace edgeml::runtime {

namespace {

InputSpec tflite_spec(const tflite::ImportResult& r) {
  InputSpec spec;
  spec.layout = r.input_layout == "NHWC" ? Layout::nhwc : Layout::flat;
  if (!r.convention.empty()) {
    spec.convention = parse_convention(r.convention, "edgeml.preprocess");
    spec.source = r.convention_source;
  } else {
    // Float TFLite image models from TF/Keras without a built-in rescaling take [-1, 1] (MobileNet, EfficientNet-Lite).
    spec.convention = Convention::minus1_1;
    spec.source = "default for tflite float input without built-in rescaling";
  }
  return spec;
}

void open_onnx(ModelSource& s) {
  ::onnx::ModelProto model;
  std::ifstream in(s.path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read model file " + s.path.string());
  if (!model.ParseFromIstream(&in)) throw std::runtime_error(s.path.string() + " is not a valid ONNX model");
  std::set<std::string> initializers;
  for (const auto& t : model.graph().initializer()) initializers.insert(t.name());
  for (const auto& input : model.graph().input()) {
    if (initializers.count(input.name())) continue;
    if (input.type().has_tensor_type() && input.type().tensor_type().has_shape())
      for (const auto& d : input.type().tensor_type().shape().dim())
        s.input_shape.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : -1);
    break;
  }
  s.input_spec.layout = layout_from_shape(s.input_shape);
  for (const auto& p : model.metadata_props())
    if (p.key() == kConventionMetadataKey) {
      s.input_spec.convention = parse_convention(p.value(), kConventionMetadataKey);
      s.input_spec.source = std::string("model metadata (") + kConventionMetadataKey + ")";
      return;
    }
  s.input_spec.convention = Convention::imagenet_mean_std;
  s.input_spec.source = "default for onnx (the timm/torchvision convention)";
}

}  // namespace

ModelSource open_model(const std::filesystem::path& path) {
  ModelSource s;
  s.path = path;
  const std::string bytes = read_file(path);  // one read: the format is detected from the content, not the name
  s.format = edgeml::onnx::to_string(edgeml::onnx::detect_format(bytes));
  if (s.format == "onnx") {
    open_onnx(s);
  } else if (s.format == "tflite") {
    tflite::ImportResult r = tflite::import(bytes);
    s.translated_onnx = std::move(r.onnx);
    s.input_shape = r.input_shape;
    s.input_spec = tflite_spec(r);
    s.notes = std::move(r.notes);
    s.notes.insert(s.notes.begin(), "translated from TFLite to ONNX in memory");
  } else if (s.format == "pytorch") {
    throw RuntimeRefusal(
        "no runtime for pytorch in this build: a .pth/.pt file needs Python and PyTorch to run; export it to ONNX "
        "(torch.onnx.export) and deploy the .onnx file");
  } else {
    throw RuntimeRefusal(path.filename().string() + " is not a model format this build knows (ONNX or TFLite)");
  }
  return s;
}

}  // namespace edgeml::runtime
