#include "tflite/model.hpp"

#include <array>

#include "common/error.hpp"

namespace edgeml::tflite {

std::string op_name(int32_t code, const std::string& custom_code) {
  // BuiltinOperator in schema order (value = index).
  static const std::array<const char*, 162> names = {"ADD",
                                                     "AVERAGE_POOL_2D",
                                                     "CONCATENATION",
                                                     "CONV_2D",
                                                     "DEPTHWISE_CONV_2D",
                                                     "DEPTH_TO_SPACE",
                                                     "DEQUANTIZE",
                                                     "EMBEDDING_LOOKUP",
                                                     "FLOOR",
                                                     "FULLY_CONNECTED",
                                                     "HASHTABLE_LOOKUP",
                                                     "L2_NORMALIZATION",
                                                     "L2_POOL_2D",
                                                     "LOCAL_RESPONSE_NORMALIZATION",
                                                     "LOGISTIC",
                                                     "LSH_PROJECTION",
                                                     "LSTM",
                                                     "MAX_POOL_2D",
                                                     "MUL",
                                                     "RELU",
                                                     "RELU_N1_TO_1",
                                                     "RELU6",
                                                     "RESHAPE",
                                                     "RESIZE_BILINEAR",
                                                     "RNN",
                                                     "SOFTMAX",
                                                     "SPACE_TO_DEPTH",
                                                     "SVDF",
                                                     "TANH",
                                                     "CONCAT_EMBEDDINGS",
                                                     "SKIP_GRAM",
                                                     "CALL",
                                                     "CUSTOM",
                                                     "EMBEDDING_LOOKUP_SPARSE",
                                                     "PAD",
                                                     "UNIDIRECTIONAL_SEQUENCE_RNN",
                                                     "GATHER",
                                                     "BATCH_TO_SPACE_ND",
                                                     "SPACE_TO_BATCH_ND",
                                                     "TRANSPOSE",
                                                     "MEAN",
                                                     "SUB",
                                                     "DIV",
                                                     "SQUEEZE",
                                                     "UNIDIRECTIONAL_SEQUENCE_LSTM",
                                                     "STRIDED_SLICE",
                                                     "BIDIRECTIONAL_SEQUENCE_RNN",
                                                     "EXP",
                                                     "TOPK_V2",
                                                     "SPLIT",
                                                     "LOG_SOFTMAX",
                                                     "DELEGATE",
                                                     "BIDIRECTIONAL_SEQUENCE_LSTM",
                                                     "CAST",
                                                     "PRELU",
                                                     "MAXIMUM",
                                                     "ARG_MAX",
                                                     "MINIMUM",
                                                     "LESS",
                                                     "NEG",
                                                     "PADV2",
                                                     "GREATER",
                                                     "GREATER_EQUAL",
                                                     "LESS_EQUAL",
                                                     "SELECT",
                                                     "SLICE",
                                                     "SIN",
                                                     "TRANSPOSE_CONV",
                                                     "SPARSE_TO_DENSE",
                                                     "TILE",
                                                     "EXPAND_DIMS",
                                                     "EQUAL",
                                                     "NOT_EQUAL",
                                                     "LOG",
                                                     "SUM",
                                                     "SQRT",
                                                     "RSQRT",
                                                     "SHAPE",
                                                     "POW",
                                                     "ARG_MIN",
                                                     "FAKE_QUANT",
                                                     "REDUCE_PROD",
                                                     "REDUCE_MAX",
                                                     "PACK",
                                                     "LOGICAL_OR",
                                                     "ONE_HOT",
                                                     "LOGICAL_AND",
                                                     "LOGICAL_NOT",
                                                     "UNPACK",
                                                     "REDUCE_MIN",
                                                     "FLOOR_DIV",
                                                     "REDUCE_ANY",
                                                     "SQUARE",
                                                     "ZEROS_LIKE",
                                                     "FILL",
                                                     "FLOOR_MOD",
                                                     "RANGE",
                                                     "RESIZE_NEAREST_NEIGHBOR",
                                                     "LEAKY_RELU",
                                                     "SQUARED_DIFFERENCE",
                                                     "MIRROR_PAD",
                                                     "ABS",
                                                     "SPLIT_V",
                                                     "UNIQUE",
                                                     "CEIL",
                                                     "REVERSE_V2",
                                                     "ADD_N",
                                                     "GATHER_ND",
                                                     "COS",
                                                     "WHERE",
                                                     "RANK",
                                                     "ELU",
                                                     "REVERSE_SEQUENCE",
                                                     "MATRIX_DIAG",
                                                     "QUANTIZE",
                                                     "MATRIX_SET_DIAG",
                                                     "ROUND",
                                                     "HARD_SWISH",
                                                     "IF",
                                                     "WHILE",
                                                     "NON_MAX_SUPPRESSION_V4",
                                                     "NON_MAX_SUPPRESSION_V5",
                                                     "SCATTER_ND",
                                                     "SELECT_V2",
                                                     "DENSIFY",
                                                     "SEGMENT_SUM",
                                                     "BATCH_MATMUL",
                                                     "PLACEHOLDER_FOR_GREATER_OP_CODES",
                                                     "CUMSUM",
                                                     "CALL_ONCE",
                                                     "BROADCAST_TO",
                                                     "RFFT2D",
                                                     "CONV_3D",
                                                     "IMAG",
                                                     "REAL",
                                                     "COMPLEX_ABS",
                                                     "HASHTABLE",
                                                     "HASHTABLE_FIND",
                                                     "HASHTABLE_IMPORT",
                                                     "HASHTABLE_SIZE",
                                                     "REDUCE_ALL",
                                                     "CONV_3D_TRANSPOSE",
                                                     "VAR_HANDLE",
                                                     "READ_VARIABLE",
                                                     "ASSIGN_VARIABLE",
                                                     "BROADCAST_ARGS",
                                                     "RANDOM_STANDARD_NORMAL",
                                                     "BUCKETIZE",
                                                     "RANDOM_UNIFORM",
                                                     "MULTINOMIAL",
                                                     "GELU",
                                                     "DYNAMIC_UPDATE_SLICE",
                                                     "RELU_0_TO_1",
                                                     "UNSORTED_SEGMENT_PROD",
                                                     "UNSORTED_SEGMENT_MAX",
                                                     "UNSORTED_SEGMENT_SUM",
                                                     "ATAN2",
                                                     "UNSORTED_SEGMENT_MIN",
                                                     "SIGN",
                                                     "BITCAST",
                                                     "BITWISE_XOR",
                                                     "RIGHT_SHIFT"};
  if (code == schema::builtin::custom) return "CUSTOM(" + custom_code + ")";
  if (code >= 0 && static_cast<size_t>(code) < names.size()) return names[static_cast<size_t>(code)];
  return "BUILTIN_" + std::to_string(code);
}

std::string type_name(TensorType type) {
  switch (type) {
    case TensorType::float32:
      return "float32";
    case TensorType::float16:
      return "float16";
    case TensorType::int32:
      return "int32";
    case TensorType::uint8:
      return "uint8";
    case TensorType::int64:
      return "int64";
    case TensorType::string:
      return "string";
    case TensorType::boolean:
      return "bool";
    case TensorType::int16:
      return "int16";
    case TensorType::complex64:
      return "complex64";
    case TensorType::int8:
      return "int8";
    case TensorType::float64:
      return "float64";
  }
  return "type_" + std::to_string(static_cast<int>(type));
}

size_t type_size(TensorType type) {
  switch (type) {
    case TensorType::float32:
    case TensorType::int32:
      return 4;
    case TensorType::float16:
    case TensorType::int16:
      return 2;
    case TensorType::uint8:
    case TensorType::int8:
    case TensorType::boolean:
      return 1;
    case TensorType::int64:
    case TensorType::complex64:
    case TensorType::float64:
      return 8;
    case TensorType::string:
      return 0;
  }
  return 0;
}

uint64_t element_count(const std::vector<int32_t>& shape, const std::string& what) {
  constexpr uint64_t kMaxElements = uint64_t{1} << 31;
  uint64_t n = 1;
  for (int32_t d : shape) {
    if (d < 0) throw Error(ErrorKind::bad_field, what + ": dimension " + std::to_string(d) + " is negative", "model");
    n *= static_cast<uint64_t>(d);
    if (n > kMaxElements)
      throw Error(ErrorKind::bad_field, what + ": more than 2^31 elements (expected a tensor of an edge model)",
                  "model");
  }
  return n;
}

}  // namespace edgeml::tflite
