#pragma once
// Writes small TFLite files for tests with flatbuffers::FlatBufferBuilder's low-level API (tables written field by
// field at the schema's vtable slots, src/tflite/schema.hpp), to cover operators and storage forms the seed model
// lacks. Nothing here checks the model: tests build broken files on purpose.
#include <cstdint>
#include <string>
#include <vector>

#include "tflite/schema.hpp"

namespace edgeml::tflite::testing {

struct QuantSpec {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t axis = 0;
};

// One field of an options table.
struct OptionField {
  uint16_t slot;
  enum class Kind { i8, i32, f32, ints } kind;
  int64_t i = 0;
  float f = 0;
  std::vector<int32_t> ints;
};
OptionField opt_i8(uint16_t slot, int64_t v);
OptionField opt_i32(uint16_t slot, int64_t v);
OptionField opt_f32(uint16_t slot, float v);
OptionField opt_ints(uint16_t slot, std::vector<int32_t> v);

class TfliteFileBuilder {
 public:
  // Tensors; each returns its index. `data` is the raw little-endian contents ("" for an activation).
  int tensor(const std::string& name, std::vector<int32_t> shape, schema::TensorType type = schema::TensorType::float32,
             std::string data = "", const QuantSpec* quant = nullptr);
  int floats(const std::string& name, std::vector<int32_t> shape, const std::vector<float>& values);
  int ints(const std::string& name, std::vector<int32_t> shape, const std::vector<int32_t>& values);
  int int8s(const std::string& name, std::vector<int32_t> shape, const std::vector<int8_t>& values, QuantSpec q);
  int uint8s(const std::string& name, std::vector<int32_t> shape, const std::vector<uint8_t>& values, QuantSpec q);
  int halfs(const std::string& name, std::vector<int32_t> shape, const std::vector<uint16_t>& values);

  void op(int32_t builtin, std::vector<int32_t> inputs, std::vector<int32_t> outputs, uint8_t options_type = 0,
          std::vector<OptionField> options = {});
  // Serialized model (schema version 3, identifier "TFL3") with one subgraph.
  std::string finish(std::vector<int32_t> inputs, std::vector<int32_t> outputs, int32_t version = 3);

 private:
  struct TensorDef {
    std::string name;
    std::vector<int32_t> shape;
    schema::TensorType type;
    uint32_t buffer;
    bool quantized = false;
    QuantSpec quant;
  };
  struct OpDef {
    int32_t builtin;
    std::vector<int32_t> inputs, outputs;
    uint8_t options_type;
    std::vector<OptionField> options;
  };
  std::vector<std::string> buffers_{""};  // buffer 0: no data
  std::vector<TensorDef> tensors_;
  std::vector<OpDef> ops_;
};

// Common options tables.
std::vector<OptionField> conv_options(schema::Padding padding, int stride_w, int stride_h,
                                      schema::Activation act = schema::Activation::none);
std::vector<OptionField> depthwise_options(schema::Padding padding, int stride_w, int stride_h, int depth_multiplier,
                                           schema::Activation act = schema::Activation::none);
std::vector<OptionField> pool_options(schema::Padding padding, int stride, int filter,
                                      schema::Activation act = schema::Activation::none);
std::vector<OptionField> activation_options(schema::Activation act);

uint16_t float_to_half(float f);

}  // namespace edgeml::tflite::testing
