#pragma once
// The values held by a constant TFLite tensor, as numbers the importer can use.
#include <string>
#include <vector>

#include "tflite/model.hpp"

namespace edgeml::tflite {

// Real values of a constant tensor: float32 as stored, float16 widened, and integer weights (int8, uint8, int16,
// int32 biases) dequantized as scale[c] x (q - zero_point[c]) along quantized_dimension (per-channel) or with one
// scale (per-tensor). Throws Error naming `where` when an integer tensor has no scale or the type is not numeric.
std::vector<float> real_values(const Model& m, const Tensor& t, const std::string& where);

// Integer contents (int32, int64) of a constant tensor used as a shape, axis list or padding table.
std::vector<int64_t> integer_values(const Model& m, const Tensor& t, const std::string& where);

float half_to_float(uint16_t h);

}  // namespace edgeml::tflite
