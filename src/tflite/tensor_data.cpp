#include "tflite/tensor_data.hpp"

#include <cmath>
#include <cstring>

#include "common/error.hpp"

namespace edgeml::tflite {

namespace {

template <typename T>
T load(std::string_view data, size_t i) {
  T v;
  std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));  // buffers carry no alignment promise
  return v;
}

[[noreturn]] void refuse(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::unprocessable, "TFLite " + where + ": " + what, "model");
}

}  // namespace

float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  float v;
  if (exponent == 0)
    v = std::ldexp(static_cast<float>(mantissa), -24);  // zero and subnormals
  else if (exponent == 31)
    v = mantissa ? std::nanf("") : INFINITY;
  else
    v = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  return sign ? -v : v;
}

std::vector<float> real_values(const Model& m, const Tensor& t, const std::string& where) {
  const std::string_view data = m.data_of(t);
  const size_t n = element_count(t.shape, where);
  if (data.empty() && n > 0) refuse(where, "constant tensor '" + t.name + "' has no data");
  std::vector<float> out(n);
  switch (t.type) {
    case TensorType::float32:
      for (size_t i = 0; i < n; ++i) out[i] = load<float>(data, i);
      return out;
    case TensorType::float16:
      for (size_t i = 0; i < n; ++i) out[i] = half_to_float(load<uint16_t>(data, i));
      return out;
    case TensorType::int8:
    case TensorType::uint8:
    case TensorType::int16:
    case TensorType::int32:
      break;
    default:
      refuse(where, "tensor '" + t.name + "' of type " + type_name(t.type) + " cannot be used as real numbers");
  }
  if (!t.quantization || t.quantization->scale.empty())
    refuse(where,
           type_name(t.type) + " tensor '" + t.name + "' has no quantization scale, so its real values are unknown");
  const Quantization& q = *t.quantization;
  for (float s : q.scale)
    if (!std::isfinite(s)) refuse(where, "tensor '" + t.name + "' has a non-finite quantization scale");
  // Per-channel: scale index = position along quantized_dimension; inner = elements after that axis.
  size_t inner = 1, axis_len = 1;
  if (q.scale.size() > 1) {
    const auto axis = static_cast<size_t>(q.quantized_dimension);
    axis_len = static_cast<size_t>(t.shape[axis]);
    for (size_t d = axis + 1; d < t.shape.size(); ++d) inner *= static_cast<size_t>(t.shape[d]);
  }
  for (size_t i = 0; i < n; ++i) {
    const size_t c = q.scale.size() > 1 ? (i / inner) % axis_len : 0;
    const int64_t zero = q.zero_point.empty() ? 0 : q.zero_point[c];
    int64_t raw = 0;
    switch (t.type) {
      case TensorType::int8:
        raw = load<int8_t>(data, i);
        break;
      case TensorType::uint8:
        raw = load<uint8_t>(data, i);
        break;
      case TensorType::int16:
        raw = load<int16_t>(data, i);
        break;
      default:
        raw = load<int32_t>(data, i);
        break;
    }
    out[i] =
        static_cast<float>(static_cast<double>(q.scale[c]) * (static_cast<double>(raw) - static_cast<double>(zero)));
  }
  return out;
}

std::vector<int64_t> integer_values(const Model& m, const Tensor& t, const std::string& where) {
  const std::string_view data = m.data_of(t);
  const size_t n = element_count(t.shape, where);
  if (data.empty() && n > 0) refuse(where, "constant tensor '" + t.name + "' has no data");
  std::vector<int64_t> out(n);
  if (t.type == TensorType::int32) {
    for (size_t i = 0; i < n; ++i) out[i] = load<int32_t>(data, i);
  } else if (t.type == TensorType::int64) {
    for (size_t i = 0; i < n; ++i) out[i] = load<int64_t>(data, i);
  } else {
    refuse(where, "tensor '" + t.name + "' must hold int32 or int64 values, not " + type_name(t.type));
  }
  return out;
}

}  // namespace edgeml::tflite
