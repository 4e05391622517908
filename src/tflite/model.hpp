#pragma once
// A TFLite model as plain C++ values, read once from the FlatBuffer by read_model() (reader.hpp) with every offset,
// index and size checked. Buffer contents are views into the caller's bytes: a Model must not outlive them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tflite/schema.hpp"

namespace edgeml::tflite {

using schema::TensorType;

struct Quantization {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;  // empty or one per scale
  int32_t quantized_dimension = 0;  // the axis the scales run along when there is more than one
};

struct Tensor {
  std::string name;
  std::vector<int32_t> shape;
  TensorType type = TensorType::float32;
  uint32_t buffer = 0;  // 0 = no data (an activation)
  std::optional<Quantization> quantization;
  bool is_variable = false;
  bool sparse = false;
};

// The options of one operator, decoded from its options table by what the operator needs. Defaults are the
// schema's defaults.
struct OpOptions {
  schema::Padding padding = schema::Padding::same;
  int32_t stride_w = 1, stride_h = 1, dilation_w = 1, dilation_h = 1;
  int32_t depth_multiplier = 1;
  int32_t filter_w = 0, filter_h = 0;
  schema::Activation activation = schema::Activation::none;
  int32_t axis = 0;
  int32_t values_count = 0;
  int8_t weights_format = 0;
  bool keep_dims = false, keep_num_dims = false;
  float beta = 1.0f;
  std::vector<int32_t> new_shape, squeeze_dims;
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool slice_offset = false;
};

struct Operator {
  int32_t builtin_code = 0;  // schema::builtin
  std::string custom_code;   // for CUSTOM
  int32_t version = 1;
  std::vector<int32_t> inputs, outputs;  // tensor indices; -1 = optional input left out
  OpOptions options;
};

struct Metadata {
  std::string name;
  std::string_view data;
};

struct Model {
  uint32_t version = 0;
  std::string description;
  std::vector<Tensor> tensors;  // of the main subgraph (subgraph 0)
  std::vector<int32_t> inputs, outputs;
  std::vector<Operator> operators;
  std::vector<std::string_view> buffers;  // contents, index = Tensor::buffer
  std::vector<Metadata> metadata;
  size_t subgraph_count = 0;

  // The constant contents of a tensor, or empty when it has none (an activation).
  std::string_view data_of(const Tensor& t) const { return t.buffer < buffers.size() ? buffers[t.buffer] : ""; }
};

// "CONV_2D", "HARD_SWISH", ...; "CUSTOM(name)" for custom ops; "BUILTIN_<n>" for a code newer than this table.
std::string op_name(int32_t builtin_code, const std::string& custom_code = "");
std::string type_name(TensorType type);  // "float32", "int8", ...
size_t type_size(TensorType type);       // bytes per element; 0 for string
// Element count of a shape; throws Error(bad_field) on a negative dimension or a count over 2^31.
uint64_t element_count(const std::vector<int32_t>& shape, const std::string& what);

}  // namespace edgeml::tflite
