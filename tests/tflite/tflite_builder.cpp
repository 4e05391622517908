#include "tflite_builder.hpp"

#include <flatbuffers/flatbuffers.h>

#include <cmath>
#include <cstring>
#include <map>

namespace edgeml::tflite::testing {

namespace fb = flatbuffers;
namespace s = schema;

OptionField opt_i8(uint16_t slot, int64_t v) { return {slot, OptionField::Kind::i8, v, 0, {}}; }
OptionField opt_i32(uint16_t slot, int64_t v) { return {slot, OptionField::Kind::i32, v, 0, {}}; }
OptionField opt_f32(uint16_t slot, float v) { return {slot, OptionField::Kind::f32, 0, v, {}}; }
OptionField opt_ints(uint16_t slot, std::vector<int32_t> v) {
  return {slot, OptionField::Kind::ints, 0, 0, std::move(v)};
}

namespace {
template <typename T>
std::string raw(const std::vector<T>& v) {
  std::string out(v.size() * sizeof(T), '\0');
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}
}  // namespace

int TfliteFileBuilder::tensor(const std::string& name, std::vector<int32_t> shape, s::TensorType type, std::string data,
                              const QuantSpec* quant) {
  uint32_t buffer = 0;
  if (!data.empty()) {
    buffers_.push_back(std::move(data));
    buffer = static_cast<uint32_t>(buffers_.size() - 1);
  }
  TensorDef t{name, std::move(shape), type, buffer, false, {}};
  if (quant) {
    t.quantized = true;
    t.quant = *quant;
  }
  tensors_.push_back(std::move(t));
  return static_cast<int>(tensors_.size() - 1);
}

int TfliteFileBuilder::floats(const std::string& name, std::vector<int32_t> shape, const std::vector<float>& v) {
  return tensor(name, std::move(shape), s::TensorType::float32, raw(v));
}
int TfliteFileBuilder::ints(const std::string& name, std::vector<int32_t> shape, const std::vector<int32_t>& v) {
  return tensor(name, std::move(shape), s::TensorType::int32, raw(v));
}
int TfliteFileBuilder::int8s(const std::string& name, std::vector<int32_t> shape, const std::vector<int8_t>& v,
                             QuantSpec q) {
  return tensor(name, std::move(shape), s::TensorType::int8, raw(v), &q);
}
int TfliteFileBuilder::uint8s(const std::string& name, std::vector<int32_t> shape, const std::vector<uint8_t>& v,
                              QuantSpec q) {
  return tensor(name, std::move(shape), s::TensorType::uint8, raw(v), &q);
}
int TfliteFileBuilder::halfs(const std::string& name, std::vector<int32_t> shape, const std::vector<uint16_t>& v) {
  return tensor(name, std::move(shape), s::TensorType::float16, raw(v));
}

void TfliteFileBuilder::op(int32_t builtin, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                           uint8_t options_type, std::vector<OptionField> options) {
  ops_.push_back({builtin, std::move(inputs), std::move(outputs), options_type, std::move(options)});
}

std::string TfliteFileBuilder::finish(std::vector<int32_t> inputs, std::vector<int32_t> outputs, int32_t version) {
  fb::FlatBufferBuilder b(1024);
  // Children first (FlatBuffers are written back to front), then the tables that point at them.
  std::vector<fb::Offset<void>> buffer_tables;
  for (const auto& data : buffers_) {
    fb::Offset<fb::Vector<uint8_t>> vec;
    if (!data.empty()) {
      b.ForceVectorAlignment(data.size(), 1, 16);
      vec = b.CreateVector(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    }
    const auto start = b.StartTable();
    if (!data.empty()) b.AddOffset(s::buffer::data, vec);
    buffer_tables.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  std::vector<fb::Offset<void>> tensor_tables;
  for (const auto& t : tensors_) {
    auto shape = b.CreateVector(t.shape);
    auto name = b.CreateString(t.name);
    fb::Offset<void> quant;
    if (t.quantized) {
      auto scale = b.CreateVector(t.quant.scale);
      auto zero = b.CreateVector(t.quant.zero_point);
      const auto q = b.StartTable();
      b.AddOffset(s::quantization::scale, scale);
      b.AddOffset(s::quantization::zero_point, zero);
      b.AddElement<int32_t>(s::quantization::quantized_dimension, t.quant.axis, 0);
      quant = fb::Offset<void>(b.EndTable(q));
    }
    const auto start = b.StartTable();
    b.AddOffset(s::tensor::shape, shape);
    b.AddElement<int8_t>(s::tensor::type, static_cast<int8_t>(t.type), 0);
    b.AddElement<uint32_t>(s::tensor::buffer, t.buffer, 0);
    b.AddOffset(s::tensor::name, name);
    if (t.quantized) b.AddOffset(s::tensor::quantization, quant);
    tensor_tables.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  std::map<int32_t, uint32_t> code_index;
  std::vector<int32_t> codes;
  std::vector<fb::Offset<void>> op_tables;
  for (const auto& o : ops_) {
    if (!code_index.count(o.builtin)) {
      code_index[o.builtin] = static_cast<uint32_t>(codes.size());
      codes.push_back(o.builtin);
    }
    auto in = b.CreateVector(o.inputs);
    auto out = b.CreateVector(o.outputs);
    std::vector<fb::Offset<fb::Vector<int32_t>>> option_vectors;
    for (const auto& f : o.options)
      option_vectors.push_back(f.kind == OptionField::Kind::ints ? b.CreateVector(f.ints) : 0);
    fb::Offset<void> options;
    if (o.options_type) {
      const auto start = b.StartTable();
      for (size_t k = 0; k < o.options.size(); ++k) {
        const auto& f = o.options[k];
        switch (f.kind) {
          case OptionField::Kind::i8:
            b.AddElement<int8_t>(f.slot, static_cast<int8_t>(f.i), static_cast<int8_t>(f.i + 1));  // always written
            break;
          case OptionField::Kind::i32:
            b.AddElement<int32_t>(f.slot, static_cast<int32_t>(f.i), static_cast<int32_t>(f.i + 1));
            break;
          case OptionField::Kind::f32:
            b.AddElement<float>(f.slot, f.f, f.f + 1);
            break;
          case OptionField::Kind::ints:
            b.AddOffset(f.slot, option_vectors[k]);
            break;
        }
      }
      options = fb::Offset<void>(b.EndTable(start));
    }
    const auto start = b.StartTable();
    b.AddElement<uint32_t>(s::op::opcode_index, code_index[o.builtin], 0xffffffff);
    b.AddOffset(s::op::inputs, in);
    b.AddOffset(s::op::outputs, out);
    if (o.options_type) {
      b.AddElement<uint8_t>(s::op::builtin_options_type, o.options_type, 0);
      b.AddOffset(s::op::builtin_options, options);
    }
    op_tables.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  std::vector<fb::Offset<void>> code_tables;
  for (int32_t code : codes) {
    const auto start = b.StartTable();
    b.AddElement<int8_t>(s::operator_code::deprecated_builtin_code, static_cast<int8_t>(std::min(code, 127)), -1);
    b.AddElement<int32_t>(s::operator_code::version, 1, 0);
    b.AddElement<int32_t>(s::operator_code::builtin_code, code, -1);
    code_tables.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  auto tensors = b.CreateVector(tensor_tables);
  auto sg_in = b.CreateVector(inputs);
  auto sg_out = b.CreateVector(outputs);
  auto operators = b.CreateVector(op_tables);
  auto sg_name = b.CreateString("main");
  const auto sg_start = b.StartTable();
  b.AddOffset(s::subgraph::tensors, tensors);
  b.AddOffset(s::subgraph::inputs, sg_in);
  b.AddOffset(s::subgraph::outputs, sg_out);
  b.AddOffset(s::subgraph::operators, operators);
  b.AddOffset(s::subgraph::name, sg_name);
  const fb::Offset<void> subgraph(b.EndTable(sg_start));
  auto subgraphs = b.CreateVector(std::vector<fb::Offset<void>>{subgraph});
  auto opcodes = b.CreateVector(code_tables);
  auto buffers = b.CreateVector(buffer_tables);
  auto description = b.CreateString("edgeml test model");
  const auto start = b.StartTable();
  b.AddElement<uint32_t>(s::model::version, static_cast<uint32_t>(version), 0xffffffff);
  b.AddOffset(s::model::operator_codes, opcodes);
  b.AddOffset(s::model::subgraphs, subgraphs);
  b.AddOffset(s::model::description, description);
  b.AddOffset(s::model::buffers, buffers);
  const fb::Offset<void> root(b.EndTable(start));
  b.Finish(root, "TFL3");
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

std::vector<OptionField> conv_options(s::Padding padding, int stride_w, int stride_h, s::Activation act) {
  namespace f = s::conv2d_options;
  return {opt_i8(f::padding, static_cast<int>(padding)), opt_i32(f::stride_w, stride_w), opt_i32(f::stride_h, stride_h),
          opt_i8(f::activation, static_cast<int>(act))};
}

std::vector<OptionField> depthwise_options(s::Padding padding, int stride_w, int stride_h, int depth_multiplier,
                                           s::Activation act) {
  namespace f = s::depthwise_options;
  return {opt_i8(f::padding, static_cast<int>(padding)), opt_i32(f::stride_w, stride_w), opt_i32(f::stride_h, stride_h),
          opt_i32(f::depth_multiplier, depth_multiplier), opt_i8(f::activation, static_cast<int>(act))};
}

std::vector<OptionField> pool_options(s::Padding padding, int stride, int filter, s::Activation act) {
  namespace f = s::pool2d_options;
  return {opt_i8(f::padding, static_cast<int>(padding)),
          opt_i32(f::stride_w, stride),
          opt_i32(f::stride_h, stride),
          opt_i32(f::filter_w, filter),
          opt_i32(f::filter_h, filter),
          opt_i8(f::activation, static_cast<int>(act))};
}

std::vector<OptionField> activation_options(s::Activation act) {
  return {opt_i8(s::activation_only_options::activation, static_cast<int>(act))};
}

uint16_t float_to_half(float f) {
  // Exact for the values tests use (small integers and halves): sign, 5-bit exponent, 10-bit mantissa.
  if (f == 0) return std::signbit(f) ? 0x8000 : 0;
  int e;
  const float m = std::frexp(std::fabs(f), &e);  // |f| = m * 2^e, m in [0.5, 1)
  const uint16_t exponent = static_cast<uint16_t>(e - 1 + 15);
  const uint16_t mantissa = static_cast<uint16_t>(std::lround((m * 2 - 1) * 1024));
  return static_cast<uint16_t>((f < 0 ? 0x8000 : 0) | (exponent << 10) | mantissa);
}

}  // namespace edgeml::tflite::testing
