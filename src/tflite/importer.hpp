#pragma once
// TFLite -> ONNX: reads a .tflite file (reader.hpp) and writes the same computation as an ONNX graph (opset 14)
// that both of our runtimes run (ONNX Runtime, OpenCV 4.6 DNN; the forms follow src/onnx/graph_builder.hpp).
//  - The ONNX input keeps the TFLite input's name, type (float32) and NHWC shape, so callers feed the model in its
//    own layout; inside, 4-D activations are held NCHW (one Transpose after the input, and wherever an op needs the
//    TFLite order back, e.g. before a flatten).
//  - Integer weights (int8/uint8 with per-tensor or per-channel scales, int32 biases) and float16 weights are turned
//    into float32 initializers; quantized activations (QUANTIZE/DEQUANTIZE) are simulated in float with
//    QuantizeLinear/DequantizeLinear so they round as the integer kernels would.
//  - Shapes computed by SHAPE/STRIDED_SLICE/PACK from static shapes are folded to constants.
//  - Every operator's output shape is recomputed and checked against the one the file declares.
// Any bad input throws edgeml::Error: bad_field for a corrupt file, unprocessable for an operator or a form this
// importer does not translate (named), too_large over the size limit. Suitable as a fuzzing entry point.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tflite/model.hpp"

namespace edgeml::tflite {

struct ImportResult {
  std::string onnx;  // serialized ModelProto
  std::string input_name;
  std::vector<int64_t> input_shape;  // as the TFLite file declares it (NHWC for images)
  std::string input_layout;          // "NHWC" for a 4-D input, "flat" otherwise
  std::string output_name;
  std::vector<int64_t> output_shape;
  // How the model treats its input pixels, when its graph or metadata says so: "raw_0_255" when the first operation
  // on the input rescales it (a Keras Rescaling layer: MUL by 1/127.5 or 1/255), or the value of an
  // "edgeml.preprocess" metadata entry. Empty when the model does not say.
  std::string convention;
  std::string convention_source;   // why: "model graph: MUL by 0.00784 on the input (built-in rescaling)", ...
  std::vector<std::string> notes;  // what the translation did that a user may want to know (dequantized weights ...)
};

ImportResult import(std::string_view bytes);
// The same, from a model already read (its bytes must still be alive).
ImportResult import_model(const Model& model);

// Operators of `model` that import() would refuse, as "NAME" -> count (empty when every operator is translated).
std::map<std::string, int64_t> unsupported_operators(const Model& model);

}  // namespace edgeml::tflite
