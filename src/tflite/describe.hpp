#pragma once
// What a TFLite model holds and costs, read from the file itself (no translation), for the inspector and the static
// predictor. Counting follows src/onnx/op_cost.hpp so a TFLite file and its ONNX twin get the same figures:
//   params: elements of the weights and biases of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV
//           (stored constants feeding them), whatever their storage type;
//   MACs:   CONV_2D output elements x KH x KW x input channels per group; DEPTHWISE_CONV_2D output elements x KH x KW;
//           FULLY_CONNECTED output elements x input features;
//   FLOPs:  2 x MACs, plus one per output element of element-wise ops and of each fused activation, pooling window
//           size per output element, one per input element of MEAN, three per element of SOFTMAX.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tflite/model.hpp"

namespace edgeml::tflite {

struct ModelFacts {
  int64_t params = 0;
  double macs = 0, flops = 0;
  std::string input_name, input_type;
  std::vector<int64_t> input_shape;
  std::string output_name;
  std::vector<int64_t> output_shape;
  std::map<std::string, int64_t> ops;           // TFLite operator name -> count
  std::map<std::string, int64_t> weight_types;  // storage type of the counted parameters -> elements
  std::map<std::string, int64_t> unsupported;   // operators the importer refuses -> count
  std::vector<std::string> notes;
};

ModelFacts describe(const Model& model);

}  // namespace edgeml::tflite
