#pragma once
// The parts of the TensorFlow Lite FlatBuffer schema (tensorflow/lite/schema/schema.fbs, version 3) this reader
// uses, written out by hand from the public schema: vtable slots of the tables we read, and the enum values we need.
// A FlatBuffer field's vtable slot is 4 + 2 x its index in the table declaration.
#include <cstdint>

namespace edgeml::tflite::schema {

constexpr uint16_t slot(int field_index) { return static_cast<uint16_t>(4 + 2 * field_index); }

namespace model {
constexpr uint16_t version = slot(0), operator_codes = slot(1), subgraphs = slot(2), description = slot(3),
                   buffers = slot(4), metadata = slot(6);
}
namespace operator_code {
constexpr uint16_t deprecated_builtin_code = slot(0), custom_code = slot(1), version = slot(2), builtin_code = slot(3);
}
namespace subgraph {
constexpr uint16_t tensors = slot(0), inputs = slot(1), outputs = slot(2), operators = slot(3), name = slot(4);
}
namespace buffer {
// offset/size: data stored after the FlatBuffer (models over 2 GiB), offset from the start of the file.
constexpr uint16_t data = slot(0), offset = slot(1), size = slot(2);
}  // namespace buffer
namespace metadata {
constexpr uint16_t name = slot(0), buffer = slot(1);
}
namespace tensor {
constexpr uint16_t shape = slot(0), type = slot(1), buffer = slot(2), name = slot(3), quantization = slot(4),
                   is_variable = slot(5), sparsity = slot(6);
}
namespace quantization {
constexpr uint16_t scale = slot(2), zero_point = slot(3), details_type = slot(4), quantized_dimension = slot(6);
}
namespace op {
constexpr uint16_t opcode_index = slot(0), inputs = slot(1), outputs = slot(2), builtin_options_type = slot(3),
                   builtin_options = slot(4);
}

// Options tables, field by field.
namespace conv2d_options {  // Conv2DOptions
constexpr uint16_t padding = slot(0), stride_w = slot(1), stride_h = slot(2), activation = slot(3),
                   dilation_w = slot(4), dilation_h = slot(5);
}
namespace depthwise_options {  // DepthwiseConv2DOptions
constexpr uint16_t padding = slot(0), stride_w = slot(1), stride_h = slot(2), depth_multiplier = slot(3),
                   activation = slot(4), dilation_w = slot(5), dilation_h = slot(6);
}
namespace pool2d_options {  // Pool2DOptions
constexpr uint16_t padding = slot(0), stride_w = slot(1), stride_h = slot(2), filter_w = slot(3), filter_h = slot(4),
                   activation = slot(5);
}
namespace fully_connected_options {  // FullyConnectedOptions
constexpr uint16_t activation = slot(0), weights_format = slot(1), keep_num_dims = slot(2);
}
namespace softmax_options {
constexpr uint16_t beta = slot(0);
}
namespace concatenation_options {
constexpr uint16_t axis = slot(0), activation = slot(1);
}
namespace activation_only_options {  // AddOptions, SubOptions, MulOptions, DivOptions: activation first
constexpr uint16_t activation = slot(0);
}
namespace reshape_options {
constexpr uint16_t new_shape = slot(0);
}
namespace reducer_options {
constexpr uint16_t keep_dims = slot(0);
}
namespace squeeze_options {
constexpr uint16_t squeeze_dims = slot(0);
}
namespace strided_slice_options {
constexpr uint16_t begin_mask = slot(0), end_mask = slot(1), ellipsis_mask = slot(2), new_axis_mask = slot(3),
                   shrink_axis_mask = slot(4), offset = slot(5);
}
namespace pack_options {
constexpr uint16_t values_count = slot(0), axis = slot(1);
}

// BuiltinOptions union tags of the options tables above.
namespace options_type {
constexpr uint8_t conv2d = 1, depthwise = 2, pool2d = 5, fully_connected = 8, softmax = 9, concatenation = 10, add = 11,
                  reshape = 17, mul = 21, pad = 22, reducer = 27, sub = 28, squeeze = 30, strided_slice = 32, pack = 59;
}

// TensorType
enum class TensorType : int8_t {
  float32 = 0,
  float16 = 1,
  int32 = 2,
  uint8 = 3,
  int64 = 4,
  string = 5,
  boolean = 6,
  int16 = 7,
  complex64 = 8,
  int8 = 9,
  float64 = 10,
};

// BuiltinOperator values this importer translates (the rest are refused by name).
namespace builtin {
constexpr int32_t add = 0, average_pool_2d = 1, concatenation = 2, conv_2d = 3, depthwise_conv_2d = 4, dequantize = 6,
                  fully_connected = 9, logistic = 14, max_pool_2d = 17, mul = 18, relu = 19, relu6 = 21, reshape = 22,
                  softmax = 25, custom = 32, pad = 34, tanh = 28, mean = 40, sub = 41, squeeze = 43, strided_slice = 45,
                  shape = 77, pack = 83, quantize = 114, hard_swish = 117;
}

// Padding and ActivationFunctionType
enum class Padding : int8_t { same = 0, valid = 1 };
enum class Activation : int8_t { none = 0, relu = 1, relu_n1_to_1 = 2, relu6 = 3, tanh = 4, sign_bit = 5 };

}  // namespace edgeml::tflite::schema
