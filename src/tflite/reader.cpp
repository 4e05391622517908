#include "tflite/reader.hpp"

#include <flatbuffers/flatbuffers.h>

#include <climits>
#include <cstring>

#include "common/error.hpp"

namespace edgeml::tflite {

namespace fb = flatbuffers;

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::bad_field, "not a valid TFLite model: " + where + ": " + what, "model");
}

// One table of the buffer, checked before each read. `where` names it in errors ("subgraph 0 tensor 12").
class TableReader {
 public:
  TableReader(fb::Verifier& v, const uint8_t* buf, const fb::Table* t, std::string where)
      : v_(v), buf_(buf), t_(t), where_(std::move(where)) {
    if (!t_ || !t_->VerifyTableStart(v_)) fail(where_, "table lies outside the file or has a corrupt vtable");
    v_.EndTable();  // the schema fixes the nesting, so the verifier's depth count is not needed
  }

  template <typename T>
  T scalar(uint16_t slot, T fallback, const char* field) const {
    if (!t_->VerifyField<T>(v_, slot, sizeof(T))) fail(where_, std::string("field '") + field + "' outside the file");
    return t_->GetField<T>(slot, fallback);
  }

  template <typename T>
  const fb::Vector<T>* vector(uint16_t slot, const char* field) const {
    if (!t_->VerifyOffset(v_, slot)) fail(where_, std::string("field '") + field + "' points outside the file");
    auto* vec = t_->GetPointer<const fb::Vector<T>*>(slot);
    if (!v_.VerifyVector(vec)) fail(where_, std::string("vector '") + field + "' runs past the end of the file");
    // The verifier checks the length word's alignment only; elements wider than it (int64 zero points) must be
    // aligned too, as every FlatBuffer writer places them, or reading them is undefined behaviour.
    if (vec && reinterpret_cast<uintptr_t>(vec->Data()) % alignof(T) != 0)
      fail(where_, std::string("vector '") + field + "' is not aligned to " + std::to_string(alignof(T)) + " bytes");
    return vec;
  }

  template <typename T>
  std::vector<T> copy_vector(uint16_t slot, const char* field) const {
    std::vector<T> out;
    if (auto* vec = vector<T>(slot, field)) out.assign(vec->begin(), vec->end());
    return out;
  }

  std::string string(uint16_t slot, const char* field) const {
    if (!t_->VerifyOffset(v_, slot)) fail(where_, std::string("field '") + field + "' points outside the file");
    auto* s = t_->GetPointer<const fb::String*>(slot);
    if (!v_.VerifyString(s)) fail(where_, std::string("string '") + field + "' runs past the end of the file");
    return s ? s->str() : std::string();
  }

  // A sub-table, or nullopt when the field is absent.
  std::optional<TableReader> table(uint16_t slot, const char* field, const std::string& where) const {
    if (!t_->VerifyOffset(v_, slot)) fail(where_, std::string("field '") + field + "' points outside the file");
    auto* sub = t_->GetPointer<const fb::Table*>(slot);
    if (!sub) return std::nullopt;
    return TableReader(v_, buf_, sub, where);
  }

  std::vector<TableReader> tables(uint16_t slot, const char* field, const std::string& item) const {
    std::vector<TableReader> out;
    auto* vec = vector<fb::Offset<fb::Table>>(slot, field);
    if (!vec) return out;
    out.reserve(vec->size());
    for (fb::uoffset_t i = 0; i < vec->size(); ++i) {
      // Each element is an offset relative to its own position: check it lands inside the file before following it.
      const auto at = static_cast<size_t>(vec->Data() - buf_) + i * sizeof(fb::uoffset_t);
      if (!v_.VerifyOffset(at)) fail(where_, item + " " + std::to_string(i) + " points outside the file");
      out.emplace_back(v_, buf_, vec->Get(i), item + " " + std::to_string(i));
    }
    return out;
  }

  const std::string& where() const { return where_; }

 private:
  fb::Verifier& v_;
  const uint8_t* buf_;  // start of the file, to turn element addresses back into offsets for the verifier
  const fb::Table* t_;
  std::string where_;
};

Quantization read_quantization(const TableReader& q) {
  Quantization out;
  out.scale = q.copy_vector<float>(schema::quantization::scale, "scale");
  out.zero_point = q.copy_vector<int64_t>(schema::quantization::zero_point, "zero_point");
  out.quantized_dimension = q.scalar<int32_t>(schema::quantization::quantized_dimension, 0, "quantized_dimension");
  if (q.scalar<uint8_t>(schema::quantization::details_type, 0, "details_type") != 0)
    throw Error(ErrorKind::unprocessable,
                q.where() + ": custom quantization details are not supported (only scale/zero_point)", "model");
  return out;
}

Tensor read_tensor(const TableReader& t) {
  Tensor out;
  out.shape = t.copy_vector<int32_t>(schema::tensor::shape, "shape");
  for (int32_t d : out.shape)  // a dynamic dimension is 1 here and -1 only in shape_signature
    if (d < 0) fail(t.where(), "shape has a negative dimension " + std::to_string(d));
  out.type = static_cast<TensorType>(t.scalar<int8_t>(schema::tensor::type, 0, "type"));
  out.buffer = t.scalar<uint32_t>(schema::tensor::buffer, 0, "buffer");
  out.name = t.string(schema::tensor::name, "name");
  if (auto q = t.table(schema::tensor::quantization, "quantization", t.where() + " quantization")) {
    Quantization quant = read_quantization(*q);
    if (!quant.scale.empty() || !quant.zero_point.empty()) out.quantization = std::move(quant);
  }
  out.is_variable = t.scalar<uint8_t>(schema::tensor::is_variable, 0, "is_variable") != 0;
  if (auto s = t.table(schema::tensor::sparsity, "sparsity", t.where() + " sparsity")) out.sparse = true;
  return out;
}

// Options by what the operator needs; the union tag, when the writer set one, must name the table we expect.
OpOptions read_options(const TableReader& op, int32_t code) {
  namespace b = schema::builtin;
  namespace ot = schema::options_type;
  OpOptions o;
  uint8_t expected = 0;
  switch (code) {
    case b::conv_2d:
      expected = ot::conv2d;
      break;
    case b::depthwise_conv_2d:
      expected = ot::depthwise;
      break;
    case b::average_pool_2d:
    case b::max_pool_2d:
      expected = ot::pool2d;
      break;
    case b::fully_connected:
      expected = ot::fully_connected;
      break;
    case b::softmax:
      expected = ot::softmax;
      break;
    case b::concatenation:
      expected = ot::concatenation;
      break;
    case b::add:
      expected = ot::add;
      break;
    case b::sub:
      expected = ot::sub;
      break;
    case b::mul:
      expected = ot::mul;
      break;
    case b::reshape:
      expected = ot::reshape;
      break;
    case b::mean:
      expected = ot::reducer;
      break;
    case b::squeeze:
      expected = ot::squeeze;
      break;
    case b::strided_slice:
      expected = ot::strided_slice;
      break;
    case b::pack:
      expected = ot::pack;
      break;
    default:
      return o;  // no options we read
  }
  const uint8_t tag = op.scalar<uint8_t>(schema::op::builtin_options_type, 0, "builtin_options_type");
  auto t = op.table(schema::op::builtin_options, "builtin_options", op.where() + " options");
  if (!t) return o;
  if (tag != expected)
    fail(op.where(), "options table type " + std::to_string(tag) + " does not match the operator (expected " +
                         std::to_string(expected) + ")");
  auto act = [&](uint16_t slot) { return static_cast<schema::Activation>(t->scalar<int8_t>(slot, 0, "activation")); };
  auto pad = [&](uint16_t slot) { return static_cast<schema::Padding>(t->scalar<int8_t>(slot, 0, "padding")); };
  switch (expected) {
    case ot::conv2d: {
      namespace f = schema::conv2d_options;
      o.padding = pad(f::padding);
      o.stride_w = t->scalar<int32_t>(f::stride_w, 0, "stride_w");
      o.stride_h = t->scalar<int32_t>(f::stride_h, 0, "stride_h");
      o.activation = act(f::activation);
      o.dilation_w = t->scalar<int32_t>(f::dilation_w, 1, "dilation_w_factor");
      o.dilation_h = t->scalar<int32_t>(f::dilation_h, 1, "dilation_h_factor");
      break;
    }
    case ot::depthwise: {
      namespace f = schema::depthwise_options;
      o.padding = pad(f::padding);
      o.stride_w = t->scalar<int32_t>(f::stride_w, 0, "stride_w");
      o.stride_h = t->scalar<int32_t>(f::stride_h, 0, "stride_h");
      o.depth_multiplier = t->scalar<int32_t>(f::depth_multiplier, 0, "depth_multiplier");
      o.activation = act(f::activation);
      o.dilation_w = t->scalar<int32_t>(f::dilation_w, 1, "dilation_w_factor");
      o.dilation_h = t->scalar<int32_t>(f::dilation_h, 1, "dilation_h_factor");
      break;
    }
    case ot::pool2d: {
      namespace f = schema::pool2d_options;
      o.padding = pad(f::padding);
      o.stride_w = t->scalar<int32_t>(f::stride_w, 0, "stride_w");
      o.stride_h = t->scalar<int32_t>(f::stride_h, 0, "stride_h");
      o.filter_w = t->scalar<int32_t>(f::filter_w, 0, "filter_width");
      o.filter_h = t->scalar<int32_t>(f::filter_h, 0, "filter_height");
      if (o.filter_w < 0 || o.filter_h < 0)
        fail(t->where(), "negative pool filter " + std::to_string(o.filter_w) + "x" + std::to_string(o.filter_h));
      o.activation = act(f::activation);
      break;
    }
    case ot::fully_connected: {
      namespace f = schema::fully_connected_options;
      o.activation = act(f::activation);
      o.weights_format = t->scalar<int8_t>(f::weights_format, 0, "weights_format");
      o.keep_num_dims = t->scalar<uint8_t>(f::keep_num_dims, 0, "keep_num_dims") != 0;
      break;
    }
    case ot::softmax:
      o.beta = t->scalar<float>(schema::softmax_options::beta, 0.0f, "beta");
      break;
    case ot::concatenation:
      o.axis = t->scalar<int32_t>(schema::concatenation_options::axis, 0, "axis");
      o.activation = act(schema::concatenation_options::activation);
      break;
    case ot::add:
    case ot::sub:
    case ot::mul:
      o.activation = act(schema::activation_only_options::activation);
      break;
    case ot::reshape:
      o.new_shape = t->copy_vector<int32_t>(schema::reshape_options::new_shape, "new_shape");
      break;
    case ot::reducer:
      o.keep_dims = t->scalar<uint8_t>(schema::reducer_options::keep_dims, 0, "keep_dims") != 0;
      break;
    case ot::squeeze:
      o.squeeze_dims = t->copy_vector<int32_t>(schema::squeeze_options::squeeze_dims, "squeeze_dims");
      break;
    case ot::strided_slice: {
      namespace f = schema::strided_slice_options;
      o.begin_mask = t->scalar<int32_t>(f::begin_mask, 0, "begin_mask");
      o.end_mask = t->scalar<int32_t>(f::end_mask, 0, "end_mask");
      o.ellipsis_mask = t->scalar<int32_t>(f::ellipsis_mask, 0, "ellipsis_mask");
      o.new_axis_mask = t->scalar<int32_t>(f::new_axis_mask, 0, "new_axis_mask");
      o.shrink_axis_mask = t->scalar<int32_t>(f::shrink_axis_mask, 0, "shrink_axis_mask");
      o.slice_offset = t->scalar<uint8_t>(f::offset, 0, "offset") != 0;
      break;
    }
    case ot::pack:
      o.values_count = t->scalar<int32_t>(schema::pack_options::values_count, 0, "values_count");
      o.axis = t->scalar<int32_t>(schema::pack_options::axis, 0, "axis");
      break;
  }
  return o;
}

struct OpCode {
  int32_t builtin = 0;
  std::string custom;
  int32_t version = 1;
};

// Cross-references the values just read: indices in range, buffer sizes matching shapes, quantization arrays
// matching the axis they run along.
void check_references(const Model& m, size_t opcode_count) {
  const auto tensor_count = static_cast<int64_t>(m.tensors.size());
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    const Tensor& t = m.tensors[i];
    const std::string where = "tensor " + std::to_string(i) + " '" + t.name + "'";
    if (t.buffer >= m.buffers.size())
      fail(where, "buffer index " + std::to_string(t.buffer) + " out of range (file has " +
                      std::to_string(m.buffers.size()) + " buffers)");
    const uint64_t n = element_count(t.shape, "not a valid TFLite model: " + where);
    const std::string_view data = m.buffers[t.buffer];
    if (!data.empty() && type_size(t.type) != 0 && data.size() != n * type_size(t.type))
      fail(where, "buffer " + std::to_string(t.buffer) + " holds " + std::to_string(data.size()) +
                      " bytes, but shape " + "and type " + type_name(t.type) + " need " +
                      std::to_string(n * type_size(t.type)));
    if (t.quantization) {
      const Quantization& q = *t.quantization;
      if (!q.zero_point.empty() && q.zero_point.size() != q.scale.size())
        fail(where, "quantization has " + std::to_string(q.scale.size()) + " scales but " +
                        std::to_string(q.zero_point.size()) + " zero points");
      for (int64_t zero : q.zero_point)
        if (zero < INT32_MIN || zero > INT32_MAX)
          fail(where, "zero point " + std::to_string(zero) + " outside the 32-bit range of any quantized type");
      if (q.scale.size() > 1) {
        if (q.quantized_dimension < 0 || static_cast<size_t>(q.quantized_dimension) >= t.shape.size())
          fail(where, "quantized_dimension " + std::to_string(q.quantized_dimension) + " outside the tensor's rank " +
                          std::to_string(t.shape.size()));
        if (q.scale.size() != static_cast<size_t>(t.shape[static_cast<size_t>(q.quantized_dimension)]))
          fail(where, std::to_string(q.scale.size()) + " per-channel scales for an axis of " +
                          std::to_string(t.shape[static_cast<size_t>(q.quantized_dimension)]) + " elements");
      }
    }
  }
  auto check_index = [&](int32_t index, const std::string& where, bool optional) {
    if (index == -1 && optional) return;
    if (index < 0 || index >= tensor_count)
      fail(where, "tensor index " + std::to_string(index) + " out of range (subgraph has " +
                      std::to_string(tensor_count) + " tensors)");
  };
  for (int32_t i : m.inputs) check_index(i, "subgraph 0 inputs", false);
  for (int32_t i : m.outputs) check_index(i, "subgraph 0 outputs", false);
  for (size_t k = 0; k < m.operators.size(); ++k) {
    const std::string where = "operator " + std::to_string(k);
    for (int32_t i : m.operators[k].inputs) check_index(i, where + " inputs", true);
    for (int32_t i : m.operators[k].outputs) check_index(i, where + " outputs", false);
  }
  (void)opcode_count;
}

}  // namespace

ModelFile::ModelFile(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_bytes) read_model(bytes, limits);  // throws too_large before copying
  storage_.reset(new uint64_t[(bytes.size() + 7) / 8 + 1]);
  std::memcpy(storage_.get(), bytes.data(), bytes.size());
  model_ = read_model(std::string_view(reinterpret_cast<const char*>(storage_.get()), bytes.size()), limits);
}

Model read_model(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_bytes)
    throw Error(ErrorKind::too_large,
                "TFLite model is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                    std::to_string(limits.max_bytes) + " bytes",
                "model");
  if (bytes.size() < 8 || bytes.substr(4, 4) != "TFL3")
    fail("header", "no 'TFL3' identifier at offset 4 (not a TFLite FlatBuffer, or cut short)");
  const auto* buf = reinterpret_cast<const uint8_t*>(bytes.data());
  if (reinterpret_cast<uintptr_t>(buf) % 8 != 0) throw std::logic_error("read_model: bytes not 8-byte aligned");

  fb::Verifier::Options opts;
  opts.max_tables = 4'000'000;
  fb::Verifier v(buf, bytes.size(), opts);
  const fb::uoffset_t root = v.VerifyOffset(0);
  if (!root) fail("header", "root table offset points outside the file");
  TableReader model(v, buf, reinterpret_cast<const fb::Table*>(buf + root), "model");

  Model m;
  m.version = model.scalar<uint32_t>(schema::model::version, 0, "version");
  if (m.version != 3) fail("model", "schema version " + std::to_string(m.version) + " (this reader knows version 3)");
  m.description = model.string(schema::model::description, "description");

  std::vector<OpCode> opcodes;
  for (const auto& c : model.tables(schema::model::operator_codes, "operator_codes", "operator code")) {
    OpCode code;
    const int32_t deprecated = c.scalar<int8_t>(schema::operator_code::deprecated_builtin_code, 0, "builtin_code");
    // Writers since 2.3 store codes >= 127 in builtin_code and keep the old byte at most 127: take the larger one.
    code.builtin = std::max(deprecated, c.scalar<int32_t>(schema::operator_code::builtin_code, 0, "builtin_code"));
    code.custom = c.string(schema::operator_code::custom_code, "custom_code");
    code.version = c.scalar<int32_t>(schema::operator_code::version, 1, "version");
    opcodes.push_back(std::move(code));
  }

  for (const auto& b : model.tables(schema::model::buffers, "buffers", "buffer")) {
    std::string_view data;
    if (auto* vec = b.vector<uint8_t>(schema::buffer::data, "data")) {
      data = std::string_view(reinterpret_cast<const char*>(vec->data()), vec->size());
    } else {
      const uint64_t offset = b.scalar<uint64_t>(schema::buffer::offset, 0, "offset");
      const uint64_t size = b.scalar<uint64_t>(schema::buffer::size, 0, "size");
      if (offset > 1) {  // 1 is the writers' placeholder for "no data"
        if (offset > bytes.size() || size > bytes.size() - offset)
          fail(b.where(), "data at offset " + std::to_string(offset) + " (" + std::to_string(size) +
                              " bytes) lies outside the file");
        data = bytes.substr(offset, size);
      }
    }
    m.buffers.push_back(data);
  }
  if (m.buffers.empty()) m.buffers.emplace_back();  // buffer 0 is the schema's "no data"; tolerate its absence

  for (const auto& md : model.tables(schema::model::metadata, "metadata", "metadata")) {
    Metadata entry;
    entry.name = md.string(schema::metadata::name, "name");
    const uint32_t index = md.scalar<uint32_t>(schema::metadata::buffer, 0, "buffer");
    if (index >= m.buffers.size()) fail(md.where(), "buffer index " + std::to_string(index) + " out of range");
    entry.data = m.buffers[index];
    m.metadata.push_back(std::move(entry));
  }

  auto subgraphs = model.tables(schema::model::subgraphs, "subgraphs", "subgraph");
  m.subgraph_count = subgraphs.size();
  if (subgraphs.empty()) fail("model", "no subgraphs");
  const TableReader& g = subgraphs[0];
  for (const auto& t : g.tables(schema::subgraph::tensors, "tensors", "subgraph 0 tensor"))
    m.tensors.push_back(read_tensor(t));
  m.inputs = g.copy_vector<int32_t>(schema::subgraph::inputs, "inputs");
  m.outputs = g.copy_vector<int32_t>(schema::subgraph::outputs, "outputs");
  for (const auto& o : g.tables(schema::subgraph::operators, "operators", "operator")) {
    Operator op;
    const uint32_t index = o.scalar<uint32_t>(schema::op::opcode_index, 0, "opcode_index");
    if (index >= opcodes.size())
      fail(o.where(), "opcode_index " + std::to_string(index) + " out of range (file has " +
                          std::to_string(opcodes.size()) + " operator codes)");
    op.builtin_code = opcodes[index].builtin;
    op.custom_code = opcodes[index].custom;
    op.version = opcodes[index].version;
    op.inputs = o.copy_vector<int32_t>(schema::op::inputs, "inputs");
    op.outputs = o.copy_vector<int32_t>(schema::op::outputs, "outputs");
    op.options = read_options(o, op.builtin_code);
    m.operators.push_back(std::move(op));
  }
  check_references(m, opcodes.size());
  return m;
}

}  // namespace edgeml::tflite
