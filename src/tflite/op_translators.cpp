// One translator per TFLite operator. Each reads its inputs as Values, writes ONNX nodes through the Translation,
// and records its output with the shape it computed (checked there against the file's declaration).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.hpp"
#include "tflite/translation.hpp"

namespace edgeml::tflite {

namespace {

using edgeml::onnx::GraphBuilder;
namespace b = schema::builtin;

int64_t numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

Value& activation_input(Translation& t, const Operator& op, size_t i, size_t rank = 0) {
  Value& v = t.input(op, i);
  if (v.constant)
    unsupported(t.where(op), "input " + std::to_string(i) + " is a constant; only computed tensors are supported here");
  if (rank && v.shape.size() != rank)
    malformed(t.where(op), "input " + std::to_string(i) + " has shape " + shape_text(v.shape) + ", expected rank " +
                               std::to_string(rank));
  return v;
}

Value& constant_input(Translation& t, const Operator& op, size_t i, const char* what) {
  Value& v = t.input(op, i);
  if (!v.constant) unsupported(t.where(op), std::string(what) + " computed at run time are not supported");
  return v;
}

// Output size and padding of one spatial axis, as TFLite computes them: SAME pads so that out = ceil(in / stride),
// putting the odd pixel after (bottom/right); VALID does not pad.
struct Axis {
  int64_t out, before, after;
};
Axis spatial(const Translation& t, const Operator& op, int64_t in, int64_t k, int64_t stride, int64_t dilation) {
  if (stride < 1 || dilation < 1 || k < 1)
    malformed(t.where(op), "stride, dilation and kernel must be at least 1 (got " + std::to_string(stride) + ", " +
                               std::to_string(dilation) + ", " + std::to_string(k) + ")");
  const int64_t effective = (k - 1) * dilation + 1;
  if (op.options.padding == schema::Padding::valid) {
    if (effective > in) malformed(t.where(op), "kernel larger than the input with VALID padding");
    return {(in - effective) / stride + 1, 0, 0};
  }
  if (op.options.padding != schema::Padding::same)
    malformed(t.where(op),
              "padding must be SAME or VALID, got " + std::to_string(static_cast<int>(op.options.padding)));
  const int64_t out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((out - 1) * stride + effective - in, 0);
  return {out, total / 2, total - total / 2};
}

std::vector<GraphBuilder::Attribute> window_attrs(const Axis& h, const Axis& w, int64_t kh, int64_t kw,
                                                  const Operator& op) {
  return {GraphBuilder::ints_attr("kernel_shape", {kh, kw}),
          GraphBuilder::ints_attr("strides", {op.options.stride_h, op.options.stride_w}),
          GraphBuilder::ints_attr("pads", {h.before, w.before, h.after, w.after})};
}

std::string bias_or_zeros(Translation& t, const Operator& op, size_t i, int64_t channels) {
  if (!t.has_input(op, i)) return t.graph().weights("zero_bias", {channels}, std::vector<float>(channels, 0.0f));
  Value& bias = constant_input(t, op, i, "biases");
  if (bias.integer || bias.shape != Shape{channels})
    malformed(t.where(op),
              "bias has shape " + shape_text(bias.shape) + ", expected [" + std::to_string(channels) + "]");
  return t.as_native(bias);
}

Value nchw_value(Shape shape, std::string name) {
  Value v;
  v.shape = std::move(shape);
  v.nchw = std::move(name);
  return v;
}

Value native_value(Shape shape, std::string name) {
  Value v;
  v.shape = std::move(shape);
  v.native = std::move(name);
  return v;
}

void conv_2d(Translation& t, const Operator& op) {
  Value& x = activation_input(t, op, 0, 4);
  Value& w = constant_input(t, op, 1, "weights");
  if (w.integer || w.shape.size() != 4) malformed(t.where(op), "weights must be a 4-D [O,KH,KW,I] float tensor");
  const int64_t o = w.shape[0], kh = w.shape[1], kw = w.shape[2], i = w.shape[3], in_c = x.shape[3];
  if (i < 1 || in_c % i != 0 || o < 1 || o % (in_c / i) != 0)
    malformed(t.where(op),
              "weights " + shape_text(w.shape) + " do not fit " + std::to_string(in_c) + " input channels");
  const int64_t groups = in_c / i;
  const Axis h = spatial(t, op, x.shape[1], kh, op.options.stride_h, op.options.dilation_h);
  const Axis wd = spatial(t, op, x.shape[2], kw, op.options.stride_w, op.options.dilation_w);
  std::vector<float> oihw(w.reals.size());  // [O,KH,KW,I] -> [O,I,KH,KW]
  for (int64_t a = 0; a < o; ++a)
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t z = 0; z < kw; ++z)
        for (int64_t c = 0; c < i; ++c)
          oihw[static_cast<size_t>(((a * i + c) * kh + y) * kw + z)] =
              w.reals[static_cast<size_t>(((a * kh + y) * kw + z) * i + c)];
  auto attrs = window_attrs(h, wd, kh, kw, op);
  attrs.push_back(GraphBuilder::ints_attr("dilations", {op.options.dilation_h, op.options.dilation_w}));
  attrs.push_back(GraphBuilder::int_attr("group", groups));
  std::string y = t.graph().node(
      "Conv", {t.as_nchw(x), t.graph().weights("conv_w", {o, i, kh, kw}, oihw), bias_or_zeros(t, op, 2, o)}, attrs);
  y = t.fused_activation(y, op.options.activation, t.where(op));
  t.set_output(op, 0, nchw_value({x.shape[0], h.out, wd.out, o}, y));
}

void depthwise_conv_2d(Translation& t, const Operator& op) {
  Value& x = activation_input(t, op, 0, 4);
  Value& w = constant_input(t, op, 1, "weights");
  if (w.integer || w.shape.size() != 4 || w.shape[0] != 1)
    malformed(t.where(op), "weights must be a 4-D [1,KH,KW,C*M] float tensor, got " + shape_text(w.shape));
  const int64_t kh = w.shape[1], kw = w.shape[2], out_c = w.shape[3], in_c = x.shape[3];
  if (in_c < 1 || out_c % in_c != 0)
    malformed(t.where(op), std::to_string(out_c) + " output channels are not a multiple of " + std::to_string(in_c));
  if (op.options.depth_multiplier > 0 && op.options.depth_multiplier * in_c != out_c)
    malformed(t.where(op),
              "depth_multiplier " + std::to_string(op.options.depth_multiplier) + " does not match the weights");
  const Axis h = spatial(t, op, x.shape[1], kh, op.options.stride_h, op.options.dilation_h);
  const Axis wd = spatial(t, op, x.shape[2], kw, op.options.stride_w, op.options.dilation_w);
  std::vector<float> weights(w.reals.size());  // [1,KH,KW,C*M] -> [C*M,1,KH,KW]
  for (int64_t y = 0; y < kh; ++y)
    for (int64_t z = 0; z < kw; ++z)
      for (int64_t c = 0; c < out_c; ++c)
        weights[static_cast<size_t>((c * kh + y) * kw + z)] = w.reals[static_cast<size_t>((y * kw + z) * out_c + c)];
  auto attrs = window_attrs(h, wd, kh, kw, op);
  attrs.push_back(GraphBuilder::ints_attr("dilations", {op.options.dilation_h, op.options.dilation_w}));
  attrs.push_back(GraphBuilder::int_attr("group", in_c));
  std::string y = t.graph().node(
      "Conv", {t.as_nchw(x), t.graph().weights("dw_w", {out_c, 1, kh, kw}, weights), bias_or_zeros(t, op, 2, out_c)},
      attrs);
  y = t.fused_activation(y, op.options.activation, t.where(op));
  t.set_output(op, 0, nchw_value({x.shape[0], h.out, wd.out, out_c}, y));
}

void pool_2d(Translation& t, const Operator& op, const char* onnx_op) {
  Value& x = activation_input(t, op, 0, 4);
  const Axis h = spatial(t, op, x.shape[1], op.options.filter_h, op.options.stride_h, 1);
  const Axis w = spatial(t, op, x.shape[2], op.options.filter_w, op.options.stride_w, 1);
  // ONNX AveragePool leaves padding out of the average by default (count_include_pad 0), as TFLite does.
  std::string y =
      t.graph().node(onnx_op, {t.as_nchw(x)}, window_attrs(h, w, op.options.filter_h, op.options.filter_w, op));
  y = t.fused_activation(y, op.options.activation, t.where(op));
  t.set_output(op, 0, nchw_value({x.shape[0], h.out, w.out, x.shape[3]}, y));
}

void average_pool_2d(Translation& t, const Operator& op) { pool_2d(t, op, "AveragePool"); }
void max_pool_2d(Translation& t, const Operator& op) { pool_2d(t, op, "MaxPool"); }

void fully_connected(Translation& t, const Operator& op) {
  Value& x = activation_input(t, op, 0);
  Value& w = constant_input(t, op, 1, "weights");
  if (op.options.weights_format != 0) unsupported(t.where(op), "shuffled weight formats are not supported");
  if (w.integer || w.shape.size() != 2) malformed(t.where(op), "weights must be a 2-D [O,I] float tensor");
  const int64_t o = w.shape[0], i = w.shape[1];
  if (i < 1 || x.shape.empty() || numel(x.shape) % i != 0)
    malformed(t.where(op), "input " + shape_text(x.shape) + " cannot be flattened to rows of " + std::to_string(i));
  const int64_t rows = numel(x.shape) / i;
  std::string flat = t.as_native(x);  // TFLite flattens in its own (NHWC) order
  if (x.shape != Shape{rows, i}) flat = t.graph().node("Reshape", {flat, t.graph().int64s("shape", {rows, i})});
  std::string y =
      t.graph().node("Gemm", {flat, t.as_native(w), bias_or_zeros(t, op, 2, o)}, {GraphBuilder::int_attr("transB", 1)});
  y = t.fused_activation(y, op.options.activation, t.where(op));
  Shape out{rows, o};
  if (op.options.keep_num_dims) {
    out = x.shape;
    out.back() = o;
    y = t.graph().node("Reshape", {y, t.graph().int64s("shape", out)});
  }
  t.set_output(op, 0, native_value(out, y));
}

Shape broadcast(const Translation& t, const Operator& op, const Shape& a, const Shape& b) {
  Shape out(std::max(a.size(), b.size()), 1);
  for (size_t k = 0; k < out.size(); ++k) {
    const int64_t da = k < out.size() - a.size() ? 1 : a[k - (out.size() - a.size())];
    const int64_t db = k < out.size() - b.size() ? 1 : b[k - (out.size() - b.size())];
    if (da != db && da != 1 && db != 1)
      malformed(t.where(op), "shapes " + shape_text(a) + " and " + shape_text(b) + " do not broadcast");
    out[k] = da == 1 ? db : da;
  }
  return out;
}

// ADD, SUB, MUL: numpy broadcasting. A 4-D result is computed in NCHW when every computed operand is 4-D.
void binary(Translation& t, const Operator& op, const char* onnx_op) {
  Value& a = t.input(op, 0);
  Value& c = t.input(op, 1);
  if (a.integer || c.integer) unsupported(t.where(op), "integer arithmetic (shape computations) is not supported");
  if (a.constant && c.constant) unsupported(t.where(op), "both operands are constants");
  const Shape out = broadcast(t, op, a.shape, c.shape);
  const bool nchw = out.size() == 4 && (a.constant || a.shape.size() == 4) && (c.constant || c.shape.size() == 4);
  auto name = [&](Value& v) {
    if (!nchw) return t.as_native(v);
    if (v.constant) {
      if (v.shape.size() > 4) malformed(t.where(op), "constant of rank over 4");
      return t.constant_as_nchw(v);
    }
    return t.as_nchw(v);
  };
  const std::string na = name(a), nc = name(c);
  std::string y = t.graph().node(onnx_op, {na, nc});
  y = t.fused_activation(y, op.options.activation, t.where(op));
  t.set_output(op, 0, nchw ? nchw_value(out, y) : native_value(out, y));
}

void add(Translation& t, const Operator& op) { binary(t, op, "Add"); }
void sub(Translation& t, const Operator& op) { binary(t, op, "Sub"); }
void mul(Translation& t, const Operator& op) { binary(t, op, "Mul"); }

std::vector<int64_t> normalized_axes(const Translation& t, const Operator& op, std::vector<int64_t> axes, size_t rank) {
  for (auto& a : axes) {
    if (a < -static_cast<int64_t>(rank) || a >= static_cast<int64_t>(rank))
      malformed(t.where(op), "axis " + std::to_string(a) + " outside rank " + std::to_string(rank));
    if (a < 0) a += static_cast<int64_t>(rank);
  }
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

void mean(Translation& t, const Operator& op) {
  Value& x = activation_input(t, op, 0);
  Value& axes_value = constant_input(t, op, 1, "axes");
  if (!axes_value.integer) malformed(t.where(op), "axes must be int32");
  const auto axes = normalized_axes(t, op, axes_value.ints, x.shape.size());
  Shape out;
  for (size_t k = 0; k < x.shape.size(); ++k) {
    const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int64_t>(k)) != axes.end();
    if (!reduced)
      out.push_back(x.shape[k]);
    else if (op.options.keep_dims)
      out.push_back(1);
  }
  if (x.shape.size() == 4 && axes == std::vector<int64_t>{1, 2}) {
    // Spatial mean (global average pooling): the form both runtimes run fastest.
    std::string y = t.graph().node("GlobalAveragePool", {t.as_nchw(x)});
    if (op.options.keep_dims) return t.set_output(op, 0, nchw_value(out, y));
    y = t.graph().node("Flatten", {y}, {GraphBuilder::int_attr("axis", 1)});  // [N,C,1,1] -> [N,C]
    return t.set_output(op, 0, native_value(out, y));
  }
  std::string y = t.graph().node(
      "ReduceMean", {t.as_native(x)},
      {GraphBuilder::ints_attr("axes", axes), GraphBuilder::int_attr("keepdims", op.options.keep_dims ? 1 : 0)});
  t.set_output(op, 0, native_value(out, y));
}

// RESHAPE's target: the shape input (folded to a constant) or the options' new_shape, with one -1 resolved.
Shape reshape_target(const Translation& t, const Operator& op, Value* shape_input, int64_t count) {
  std::vector<int64_t> target;
  if (shape_input) {
    if (!shape_input->constant || !shape_input->integer)
      unsupported(t.where(op), "a shape computed at run time is not supported (only static shapes)");
    target = shape_input->ints;
  } else {
    target.assign(op.options.new_shape.begin(), op.options.new_shape.end());
  }
  int64_t known = 1, open = -1;
  for (size_t k = 0; k < target.size(); ++k) {
    if (target[k] == -1) {
      if (open >= 0) malformed(t.where(op), "more than one -1 in the new shape");
      open = static_cast<int64_t>(k);
    } else if (target[k] < 0) {
      malformed(t.where(op), "negative dimension in the new shape");
    } else {
      known *= target[k];
    }
  }
  if (open >= 0) {
    if (known == 0 || count % known != 0) malformed(t.where(op), "the -1 of the new shape cannot be resolved");
    target[static_cast<size_t>(open)] = count / known;
  } else if (known != count) {
    malformed(t.where(op), "new shape " + shape_text(target) + " does not hold " + std::to_string(count) + " elements");
  }
  return target;
}

void reshape_to(Translation& t, const Operator& op, Value& x, const Shape& out) {
  if (x.constant) {
    Value v = x;
    v.shape = out;
    v.native.clear();
    v.nchw.clear();
    return t.set_output(op, 0, std::move(v));
  }
  t.set_output(op, 0, native_value(out, t.graph().node("Reshape", {t.as_native(x), t.graph().int64s("shape", out)})));
}

void reshape(Translation& t, const Operator& op) {
  Value& x = t.input(op, 0);
  Value* shape_input = t.has_input(op, 1) ? &t.input(op, 1) : nullptr;
  // Older writers put the shape in the options and a placeholder in the input; the options win when both exist.
  if (shape_input && !op.options.new_shape.empty() && !shape_input->constant) shape_input = nullptr;
  reshape_to(t, op, x, reshape_target(t, op, shape_input, numel(x.shape)));
}

void squeeze(Translation& t, const Operator& op) {
  Value& x = t.input(op, 0);
  std::vector<int64_t> dims(op.options.squeeze_dims.begin(), op.options.squeeze_dims.end());
  dims = normalized_axes(t, op, dims, x.shape.size());
  Shape out;
  for (size_t k = 0; k < x.shape.size(); ++k) {
    const bool listed = std::find(dims.begin(), dims.end(), static_cast<int64_t>(k)) != dims.end();
    if (listed && x.shape[k] != 1)
      malformed(t.where(op), "cannot squeeze axis " + std::to_string(k) + " of size " + std::to_string(x.shape[k]));
    if (dims.empty() ? x.shape[k] != 1 : !listed) out.push_back(x.shape[k]);
  }
  reshape_to(t, op, x, out);
}

void shape(Translation& t, const Operator& op) {
  Value& x = t.input(op, 0);
  Value v;
  v.shape = {static_cast<int64_t>(x.shape.size())};
  v.type = TensorType::int32;
  v.constant = v.integer = true;
  v.ints = x.shape;
  t.set_output(op, 0, std::move(v));
}

// STRIDED_SLICE of a 1-D constant (the Keras flatten pattern slices the batch size out of SHAPE), folded.
void strided_slice(Translation& t, const Operator& op) {
  Value& x = constant_input(t, op, 0, "slices of tensors");
  Value& begin = constant_input(t, op, 1, "slice bounds");
  Value& end = constant_input(t, op, 2, "slice bounds");
  Value& strides = constant_input(t, op, 3, "slice strides");
  const auto& o = op.options;
  if (!x.integer || x.shape.size() != 1)
    unsupported(t.where(op), "only slices of 1-D integer constants (shape computations) are supported");
  if (o.ellipsis_mask || o.new_axis_mask || o.slice_offset)
    unsupported(t.where(op), "ellipsis, new-axis and offset masks are not supported");
  if (begin.ints.size() != 1 || end.ints.size() != 1 || strides.ints.size() != 1)
    malformed(t.where(op), "begin, end and strides must each hold one value for a 1-D input");
  const int64_t n = x.shape[0], step = strides.ints[0];
  if (step == 0) malformed(t.where(op), "stride 0");
  auto clamp_index = [&](int64_t v, bool masked, bool is_begin) {
    if (masked) return is_begin == (step > 0) ? (step > 0 ? int64_t{0} : n - 1) : (step > 0 ? n : int64_t{-1});
    if (v < 0) v += n;
    return step > 0 ? std::clamp<int64_t>(v, 0, n) : std::clamp<int64_t>(v, -1, n - 1);
  };
  int64_t lo = clamp_index(begin.ints[0], o.begin_mask & 1, true);
  Value v;
  v.type = x.type;
  v.constant = v.integer = true;
  if (o.shrink_axis_mask & 1) {
    if (lo < 0 || lo >= n) malformed(t.where(op), "slice index outside the input");
    v.ints = {x.ints[static_cast<size_t>(lo)]};
    v.shape = {};
  } else {
    const int64_t hi = clamp_index(end.ints[0], o.end_mask & 1, false);
    for (int64_t k = lo; step > 0 ? k < hi : k > hi; k += step) v.ints.push_back(x.ints[static_cast<size_t>(k)]);
    v.shape = {static_cast<int64_t>(v.ints.size())};
  }
  t.set_output(op, 0, std::move(v));
}

// PACK of integer constants (the Keras flatten pattern packs [batch, -1]), folded.
void pack(Translation& t, const Operator& op) {
  if (op.inputs.empty()) malformed(t.where(op), "no inputs");
  std::vector<Value*> parts;
  for (size_t k = 0; k < op.inputs.size(); ++k) parts.push_back(&constant_input(t, op, k, "packed tensors"));
  const Shape& s = parts[0]->shape;
  for (auto* p : parts)
    if (!p->integer || p->shape != s)
      unsupported(t.where(op), "only packing integer constants of one shape (shape computations) is supported");
  const int64_t rank = static_cast<int64_t>(s.size()) + 1;
  int64_t axis = op.options.axis < 0 ? op.options.axis + rank : op.options.axis;
  if (axis < 0 || axis >= rank) malformed(t.where(op), "axis " + std::to_string(op.options.axis) + " out of range");
  int64_t outer = 1, inner = 1;
  for (int64_t k = 0; k < static_cast<int64_t>(s.size()); ++k) (k < axis ? outer : inner) *= s[static_cast<size_t>(k)];
  Value v;
  v.type = parts[0]->type;
  v.constant = v.integer = true;
  v.shape = s;
  v.shape.insert(v.shape.begin() + axis, static_cast<int64_t>(parts.size()));
  for (int64_t a = 0; a < outer; ++a)
    for (auto* p : parts)
      for (int64_t c = 0; c < inner; ++c) v.ints.push_back(p->ints[static_cast<size_t>(a * inner + c)]);
  t.set_output(op, 0, std::move(v));
}

void concatenation(Translation& t, const Operator& op) {
  if (op.inputs.empty()) malformed(t.where(op), "no inputs");
  std::vector<Value*> parts;
  for (size_t k = 0; k < op.inputs.size(); ++k) parts.push_back(&t.input(op, k));
  const size_t rank = parts[0]->shape.size();
  int64_t axis = op.options.axis < 0 ? op.options.axis + static_cast<int64_t>(rank) : op.options.axis;
  if (axis < 0 || axis >= static_cast<int64_t>(rank)) malformed(t.where(op), "axis out of range");
  Shape out = parts[0]->shape;
  out[static_cast<size_t>(axis)] = 0;
  bool all_constant = true;
  for (auto* p : parts) {
    if (p->shape.size() != rank) malformed(t.where(op), "inputs of different ranks");
    for (size_t k = 0; k < rank; ++k)
      if (static_cast<int64_t>(k) != axis && p->shape[k] != parts[0]->shape[k])
        malformed(t.where(op), "inputs differ outside the concatenation axis");
    out[static_cast<size_t>(axis)] += p->shape[static_cast<size_t>(axis)];
    all_constant = all_constant && p->constant;
    if (p->integer) unsupported(t.where(op), "concatenating integer tensors is not supported");
  }
  if (all_constant) unsupported(t.where(op), "concatenating only constants is not supported");
  const bool nchw = rank == 4;
  static const int64_t to_nchw[4] = {0, 2, 3, 1};
  std::vector<std::string> names;
  for (auto* p : parts) names.push_back(!nchw ? t.as_native(*p) : p->constant ? t.constant_as_nchw(*p) : t.as_nchw(*p));
  std::string y = t.graph().node("Concat", names,
                                 {GraphBuilder::int_attr("axis", nchw ? to_nchw[static_cast<size_t>(axis)] : axis)});
  y = t.fused_activation(y, op.options.activation, t.where(op));
  t.set_output(op, 0, nchw ? nchw_value(out, y) : native_value(out, y));
}

void pad(Translation& t, const Operator& op) {
  Value& x = activation_input(t, op, 0);
  Value& paddings = constant_input(t, op, 1, "paddings");
  const size_t rank = x.shape.size();
  if (!paddings.integer || paddings.shape != Shape{static_cast<int64_t>(rank), 2})
    malformed(t.where(op), "paddings must be an int [" + std::to_string(rank) + ",2] tensor");
  Shape out = x.shape;
  for (size_t k = 0; k < rank; ++k) {
    const int64_t before = paddings.ints[2 * k], after = paddings.ints[2 * k + 1];
    if (before < 0 || after < 0) malformed(t.where(op), "negative padding");
    out[k] += before + after;
  }
  const bool nchw = rank == 4;
  const std::vector<size_t> order = nchw ? std::vector<size_t>{0, 3, 1, 2} : [&] {
    std::vector<size_t> o(rank);
    std::iota(o.begin(), o.end(), 0);
    return o;
  }();
  std::vector<int64_t> pads;
  for (size_t k : order) pads.push_back(paddings.ints[2 * k]);
  for (size_t k : order) pads.push_back(paddings.ints[2 * k + 1]);
  // mode defaults to "constant" with value 0, TFLite PAD's behaviour.
  std::string y = t.graph().node("Pad", {nchw ? t.as_nchw(x) : t.as_native(x), t.graph().int64s("pads", pads)});
  t.set_output(op, 0, nchw ? nchw_value(out, y) : native_value(out, y));
}

// Element-wise ops keep whichever layout their input already has.
template <typename Make>
void unary(Translation& t, const Operator& op, Make make) {
  Value& x = activation_input(t, op, 0);
  Value v;
  v.shape = x.shape;
  if (!x.nchw.empty())
    v.nchw = make(x.nchw);
  else
    v.native = make(t.as_native(x));
  t.set_output(op, 0, std::move(v));
}

void hard_swish(Translation& t, const Operator& op) {
  unary(t, op, [&](const std::string& x) { return t.graph().node("HardSwish", {x}); });
}
void logistic(Translation& t, const Operator& op) {
  unary(t, op, [&](const std::string& x) { return t.graph().node("Sigmoid", {x}); });
}
void relu(Translation& t, const Operator& op) {
  unary(t, op, [&](const std::string& x) { return t.graph().node("Relu", {x}); });
}
void relu6(Translation& t, const Operator& op) {
  unary(t, op, [&](const std::string& x) { return t.clip(x, 0.0f, 6.0f); });
}
void tanh_op(Translation& t, const Operator& op) {
  unary(t, op, [&](const std::string& x) { return t.graph().node("Tanh", {x}); });
}

void softmax(Translation& t, const Operator& op) {
  Value& x = activation_input(t, op, 0);
  std::string y = t.as_native(x);
  if (!std::isfinite(op.options.beta)) malformed(t.where(op), "beta is not a finite number");
  if (op.options.beta != 1.0f) y = t.graph().node("Mul", {y, t.graph().weights("beta", {1}, {op.options.beta})});
  y = t.graph().node("Softmax", {y}, {GraphBuilder::int_attr("axis", -1)});
  t.set_output(op, 0, native_value(x.shape, y));
}

// DEQUANTIZE of a constant (int8 or float16 weights stored with an explicit DEQUANTIZE) folds to float weights; of
// an activation (already carried as real values) it is the identity.
void dequantize(Translation& t, const Operator& op) {
  Value v = t.input(op, 0);
  if (v.integer) unsupported(t.where(op), "DEQUANTIZE of an unquantized integer tensor");
  v.type = TensorType::float32;
  t.set_output(op, 0, std::move(v));
}

// QUANTIZE of an activation: set_output rounds it through the output's scale and zero point.
void quantize(Translation& t, const Operator& op) {
  Value v = activation_input(t, op, 0);
  t.set_output(op, 0, std::move(v));
}

}  // namespace

Translator translator_for(int32_t code) {
  switch (code) {
    case b::conv_2d:
      return conv_2d;
    case b::depthwise_conv_2d:
      return depthwise_conv_2d;
    case b::average_pool_2d:
      return average_pool_2d;
    case b::max_pool_2d:
      return max_pool_2d;
    case b::fully_connected:
      return fully_connected;
    case b::add:
      return add;
    case b::sub:
      return sub;
    case b::mul:
      return mul;
    case b::mean:
      return mean;
    case b::reshape:
      return reshape;
    case b::squeeze:
      return squeeze;
    case b::shape:
      return shape;
    case b::strided_slice:
      return strided_slice;
    case b::pack:
      return pack;
    case b::concatenation:
      return concatenation;
    case b::pad:
      return pad;
    case b::hard_swish:
      return hard_swish;
    case b::logistic:
      return logistic;
    case b::relu:
      return relu;
    case b::relu6:
      return relu6;
    case b::tanh:
      return tanh_op;
    case b::softmax:
      return softmax;
    case b::dequantize:
      return dequantize;
    case b::quantize:
      return quantize;
    default:
      return nullptr;
  }
}

}  // namespace edgeml::tflite
