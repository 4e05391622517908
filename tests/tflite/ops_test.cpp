// Operators and storage forms the seed model lacks, each in a small TFLite file built here, run through both
// runtimes and compared with a straightforward NHWC reference computation written in this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "common/error.hpp"
#include "common/files.hpp"
#include "runtime/runtime.hpp"
#include "tflite/importer.hpp"
#include "tflite_builder.hpp"

namespace edgeml::tflite {
namespace {

namespace s = schema;
namespace b = schema::builtin;
using testing::QuantSpec;
using testing::TfliteFileBuilder;

// ---- reference computations (NHWC, batch 1) ----

struct Nhwc {
  int h, w, c;
  std::vector<float> v;
  float at(int y, int x, int ch) const { return v[static_cast<size_t>((y * w + x) * c + ch)]; }
};

float activate(float v, s::Activation act) {
  if (act == s::Activation::relu) return std::max(v, 0.0f);
  if (act == s::Activation::relu6) return std::clamp(v, 0.0f, 6.0f);
  return v;
}

struct Window {
  int out, before;
};
Window window(int in, int k, int stride, s::Padding p) {
  if (p == s::Padding::valid) return {(in - k) / stride + 1, 0};
  const int out = (in + stride - 1) / stride;
  return {out, std::max((out - 1) * stride + k - in, 0) / 2};
}

// w: [O,KH,KW,I] (conv) or [1,KH,KW,C*M] (depthwise).
Nhwc conv_ref(const Nhwc& x, const std::vector<float>& w, int o, int k, const std::vector<float>& bias, int stride,
              s::Padding p, s::Activation act, bool depthwise) {
  const Window wh = window(x.h, k, stride, p), ww = window(x.w, k, stride, p);
  Nhwc y{wh.out, ww.out, o, std::vector<float>(static_cast<size_t>(wh.out * ww.out * o))};
  for (int oy = 0; oy < y.h; ++oy)
    for (int ox = 0; ox < y.w; ++ox)
      for (int oc = 0; oc < o; ++oc) {
        double sum = bias.empty() ? 0 : bias[static_cast<size_t>(oc)];
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int iy = oy * stride - wh.before + ky, ix = ox * stride - ww.before + kx;
            if (iy < 0 || ix < 0 || iy >= x.h || ix >= x.w) continue;
            if (depthwise) {
              sum += x.at(iy, ix, oc / (o / x.c)) * w[static_cast<size_t>((ky * k + kx) * o + oc)];
            } else {
              for (int ic = 0; ic < x.c; ++ic)
                sum += x.at(iy, ix, ic) * w[static_cast<size_t>(((oc * k + ky) * k + kx) * x.c + ic)];
            }
          }
        y.v[static_cast<size_t>((oy * y.w + ox) * o + oc)] = activate(static_cast<float>(sum), act);
      }
  return y;
}

Nhwc pool_ref(const Nhwc& x, int k, int stride, s::Padding p, bool max) {
  const Window wh = window(x.h, k, stride, p), ww = window(x.w, k, stride, p);
  Nhwc y{wh.out, ww.out, x.c, std::vector<float>(static_cast<size_t>(wh.out * ww.out * x.c))};
  for (int oy = 0; oy < y.h; ++oy)
    for (int ox = 0; ox < y.w; ++ox)
      for (int c = 0; c < x.c; ++c) {
        double acc = max ? -1e30 : 0;
        int n = 0;
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int iy = oy * stride - wh.before + ky, ix = ox * stride - ww.before + kx;
            if (iy < 0 || ix < 0 || iy >= x.h || ix >= x.w) continue;  // padding never counts (TFLite)
            acc = max ? std::max<double>(acc, x.at(iy, ix, c)) : acc + x.at(iy, ix, c);
            ++n;
          }
        y.v[static_cast<size_t>((oy * y.w + ox) * x.c + c)] = static_cast<float>(max ? acc : acc / n);
      }
  return y;
}

std::vector<float> seeded(size_t n, uint32_t seed, float lo = -1, float hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& f : v) f = d(rng);
  return v;
}

// ---- running a built file ----

class OpsOnBackend : public ::testing::TestWithParam<std::string> {
 protected:
  std::vector<float> run(const std::string& model, const std::vector<float>& input) {
    const auto dir = std::filesystem::temp_directory_path() / ("edgeml_tflite_ops_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "m.tflite";
    write_file_atomic(path, model);
    auto rt = runtime::make_runtime(GetParam());
    rt->load(path, {});
    std::filesystem::remove_all(dir);
    return rt->run(input);
  }
};

void expect_near(const std::vector<float>& got, const std::vector<float>& want, float tolerance) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "element " << i;
}

TEST_P(OpsOnBackend, Conv2dSameStride2WithUint8PerTensorWeightsAndFusedRelu6) {
  // 7x6 input, stride 2, SAME: TFLite pads 1 pixel after (bottom/right) on one axis and splits on the other.
  TfliteFileBuilder f;
  const Nhwc x{7, 6, 3, seeded(7 * 6 * 3, 1, -2, 2)};
  std::vector<uint8_t> q(4 * 3 * 3 * 3);
  std::mt19937 rng(2);
  for (auto& v : q) v = static_cast<uint8_t>(rng() % 256);
  const float scale = 0.02f;
  std::vector<float> w(q.size());
  for (size_t i = 0; i < q.size(); ++i) w[i] = scale * (static_cast<int>(q[i]) - 128);
  const std::vector<float> bias = {0.5f, -0.25f, 0.0f, 1.0f};
  int in = f.tensor("image", {1, 7, 6, 3});
  int wt = f.uint8s("w", {4, 3, 3, 3}, q, QuantSpec{{scale}, {128}, 0});
  int bt = f.floats("b", {4}, bias);
  int out = f.tensor("y", {1, 4, 3, 4});
  f.op(b::conv_2d, {in, wt, bt}, {out}, s::options_type::conv2d,
       testing::conv_options(s::Padding::same, 2, 2, s::Activation::relu6));
  const auto want = conv_ref(x, w, 4, 3, bias, 2, s::Padding::same, s::Activation::relu6, false);
  expect_near(run(f.finish({in}, {out}), x.v), want.v, 1e-4f);
}

TEST_P(OpsOnBackend, DepthwiseValidWithInt8PerChannelWeightsAndFusedRelu) {
  TfliteFileBuilder f;
  const Nhwc x{5, 5, 2, seeded(5 * 5 * 2, 3)};
  std::vector<int8_t> q(3 * 3 * 4);
  std::mt19937 rng(4);
  for (auto& v : q) v = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
  const std::vector<float> scales = {0.01f, 0.02f, 0.005f, 0.03f};
  std::vector<float> w(q.size());
  for (size_t i = 0; i < q.size(); ++i) w[i] = scales[i % 4] * q[i];  // channel = last axis
  const std::vector<float> bias = {0.1f, -0.1f, 0.2f, 0.0f};
  int in = f.tensor("x", {1, 5, 5, 2});
  int wt = f.int8s("w", {1, 3, 3, 4}, q, QuantSpec{scales, {0, 0, 0, 0}, 3});
  int bt = f.floats("b", {4}, bias);
  int out = f.tensor("y", {1, 3, 3, 4});
  f.op(b::depthwise_conv_2d, {in, wt, bt}, {out}, s::options_type::depthwise,
       testing::depthwise_options(s::Padding::valid, 1, 1, 2, s::Activation::relu));
  const auto want = conv_ref(x, w, 4, 3, bias, 1, s::Padding::valid, s::Activation::relu, true);
  expect_near(run(f.finish({in}, {out}), x.v), want.v, 1e-5f);
}

TEST_P(OpsOnBackend, AverageAndMaxPoolConcatenatedOnChannels) {
  TfliteFileBuilder f;
  const Nhwc x{6, 5, 3, seeded(6 * 5 * 3, 5)};
  int in = f.tensor("x", {1, 6, 5, 3});
  int avg = f.tensor("avg", {1, 3, 3, 3});
  int mx = f.tensor("max", {1, 3, 3, 3});
  int out = f.tensor("y", {1, 3, 3, 6});
  f.op(b::average_pool_2d, {in}, {avg}, s::options_type::pool2d, testing::pool_options(s::Padding::same, 2, 3));
  f.op(b::max_pool_2d, {in}, {mx}, s::options_type::pool2d, testing::pool_options(s::Padding::same, 2, 2));
  f.op(b::concatenation, {avg, mx}, {out}, s::options_type::concatenation,
       {testing::opt_i32(s::concatenation_options::axis, -1)});
  const Nhwc a = pool_ref(x, 3, 2, s::Padding::same, false), m = pool_ref(x, 2, 2, s::Padding::same, true);
  std::vector<float> want;
  for (int p = 0; p < 9; ++p) {
    for (int c = 0; c < 3; ++c) want.push_back(a.v[static_cast<size_t>(p * 3 + c)]);
    for (int c = 0; c < 3; ++c) want.push_back(m.v[static_cast<size_t>(p * 3 + c)]);
  }
  expect_near(run(f.finish({in}, {out}), x.v), want, 1e-5f);
}

// PAD -> SUB (per-channel constant) -> MUL (scalar) -> LOGISTIC -> MEAN (keep dims) -> SQUEEZE -> FULLY_CONNECTED
// -> RELU -> RELU6 -> SOFTMAX.
TEST_P(OpsOnBackend, ClassifierHeadOfElementwiseAndReshapingOps) {
  TfliteFileBuilder f;
  const Nhwc x{4, 4, 3, seeded(48, 6, -3, 3)};
  const std::vector<float> shift = {0.5f, -1.0f, 0.25f}, fc_w = seeded(15, 7), fc_b = {0.1f, 0.2f, -0.3f, 0.0f, 4.0f};
  int in = f.tensor("x", {1, 4, 4, 3});
  int pads = f.ints("pads", {4, 2}, {0, 0, 1, 0, 0, 1, 0, 0});
  int padded = f.tensor("padded", {1, 5, 5, 3});
  int shift_t = f.floats("shift", {3}, shift);
  int shifted = f.tensor("shifted", {1, 5, 5, 3});
  int two = f.floats("two", {}, {2.0f});
  int doubled = f.tensor("doubled", {1, 5, 5, 3});
  int sig = f.tensor("sig", {1, 5, 5, 3});
  int axes = f.ints("axes", {2}, {1, 2});
  int pooled = f.tensor("pooled", {1, 1, 1, 3});
  int flat = f.tensor("flat", {1, 3});
  int w = f.floats("fc_w", {5, 3}, fc_w);
  int bias = f.floats("fc_b", {5}, fc_b);
  int fc = f.tensor("fc", {1, 5});
  int r = f.tensor("relu", {1, 5});
  int r6 = f.tensor("relu6", {1, 5});
  int out = f.tensor("probs", {1, 5});
  f.op(b::pad, {in, pads}, {padded});
  f.op(b::sub, {padded, shift_t}, {shifted}, s::options_type::sub, testing::activation_options(s::Activation::none));
  f.op(b::mul, {shifted, two}, {doubled}, s::options_type::mul, testing::activation_options(s::Activation::none));
  f.op(b::logistic, {doubled}, {sig});
  f.op(b::mean, {sig, axes}, {pooled}, s::options_type::reducer, {testing::opt_i8(s::reducer_options::keep_dims, 1)});
  f.op(b::squeeze, {pooled}, {flat}, s::options_type::squeeze,
       {testing::opt_ints(s::squeeze_options::squeeze_dims, {1, 2})});
  f.op(b::fully_connected, {flat, w, bias}, {fc}, s::options_type::fully_connected,
       {testing::opt_i8(s::fully_connected_options::activation, 0)});
  f.op(b::relu, {fc}, {r});
  f.op(b::relu6, {r}, {r6});
  f.op(b::softmax, {r6}, {out}, s::options_type::softmax, {testing::opt_f32(s::softmax_options::beta, 1.0f)});

  std::vector<double> mean(3, 0);
  for (int y = 0; y < 5; ++y)
    for (int xx = 0; xx < 5; ++xx)
      for (int c = 0; c < 3; ++c) {
        const int iy = y - 1, ix = xx;  // one row of padding before, one column after
        const float v = (iy >= 0 && ix < 4) ? x.at(iy, ix, c) : 0.0f;
        mean[static_cast<size_t>(c)] += 1.0 / (1.0 + std::exp(-2.0 * (v - shift[static_cast<size_t>(c)]))) / 25.0;
      }
  std::vector<float> logits(5);
  for (int o = 0; o < 5; ++o) {
    double sum = fc_b[static_cast<size_t>(o)];
    for (int c = 0; c < 3; ++c) sum += fc_w[static_cast<size_t>(o * 3 + c)] * mean[static_cast<size_t>(c)];
    logits[static_cast<size_t>(o)] = std::clamp(static_cast<float>(sum), 0.0f, 6.0f);
  }
  double z = 0;
  for (float l : logits) z += std::exp(l);
  std::vector<float> want;
  for (float l : logits) want.push_back(static_cast<float>(std::exp(l) / z));
  expect_near(run(f.finish({in}, {out}), x.v), want, 1e-5f);
}

// A FULLY_CONNECTED straight on a 4-D activation flattens it in TFLite's NHWC order, though the graph holds it NCHW.
TEST_P(OpsOnBackend, FullyConnectedFlattensInNhwcOrder) {
  TfliteFileBuilder f;
  const Nhwc x{2, 3, 2, seeded(12, 8)};
  const std::vector<float> one_by_one = {1.0f, 0.0f, 0.0f, 1.0f};  // identity 1x1 conv: keeps values, moves layout
  const std::vector<float> fc_w = seeded(4 * 12, 9);
  int in = f.tensor("x", {1, 2, 3, 2});
  int cw = f.floats("cw", {2, 1, 1, 2}, one_by_one);
  int conv = f.tensor("conv", {1, 2, 3, 2});
  int w = f.floats("w", {4, 12}, fc_w);
  int out = f.tensor("y", {1, 4});
  f.op(b::conv_2d, {in, cw, -1}, {conv}, s::options_type::conv2d, testing::conv_options(s::Padding::valid, 1, 1));
  f.op(b::fully_connected, {conv, w, -1}, {out}, s::options_type::fully_connected,
       {testing::opt_i8(s::fully_connected_options::activation, 0)});
  std::vector<float> want(4, 0);
  for (int o = 0; o < 4; ++o)
    for (int i = 0; i < 12; ++i)
      want[static_cast<size_t>(o)] += fc_w[static_cast<size_t>(o * 12 + i)] * x.v[static_cast<size_t>(i)];
  expect_near(run(f.finish({in}, {out}), x.v), want, 1e-5f);
}

// QUANTIZE -> DEQUANTIZE rounds through the int8 grid; a float16 constant behind a DEQUANTIZE is widened.
TEST_P(OpsOnBackend, QuantizeDequantizeRoundTripAndFloat16Constants) {
  TfliteFileBuilder f;
  const std::vector<float> x = {-2.0f, -0.3f, 0.0f, 0.12f, 0.13f, 1.0f, 31.9f, -40.0f};
  const std::vector<float> halves = {0.5f, -1.5f, 2.0f, 0.0f, 3.25f, -0.75f, 1.0f, 8.0f};
  std::vector<uint16_t> h;
  for (float v : halves) h.push_back(testing::float_to_half(v));
  QuantSpec q{{0.25f}, {-3}, 0};
  int in = f.tensor("x", {1, 8});
  int quant = f.tensor("q", {1, 8}, s::TensorType::int8, "", &q);
  int deq = f.tensor("dq", {1, 8});
  int c16 = f.halfs("c16", {8}, h);
  int c32 = f.tensor("c32", {8});
  int out = f.tensor("y", {1, 8});
  f.op(b::quantize, {in}, {quant});
  f.op(b::dequantize, {quant}, {deq});
  f.op(b::dequantize, {c16}, {c32});
  f.op(b::add, {deq, c32}, {out}, s::options_type::add, testing::activation_options(s::Activation::none));
  const std::string model = f.finish({in}, {out});
  if (GetParam() == "opencv") {  // OpenCV 4.6 gets QuantizeLinear/DequantizeLinear wrong in float graphs: refused
    try {
      run(model, x);
      FAIL() << "OpenCV ran a graph with quantized activations";
    } catch (const runtime::RuntimeRefusal& e) {
      EXPECT_NE(std::string(e.what()).find("use the ort backend"), std::string::npos) << e.what();
    }
    return;
  }
  std::vector<float> want;
  for (size_t i = 0; i < x.size(); ++i) {
    const float qv = std::clamp(std::nearbyint(x[i] / 0.25f) - 3.0f, -128.0f, 127.0f);  // round half to even
    want.push_back((qv + 3.0f) * 0.25f + halves[i]);
  }
  expect_near(run(model, x), want, 1e-6f);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpsOnBackend, ::testing::ValuesIn(runtime::available_backends()));

TEST(TfliteOps, UnsupportedOperatorIsRefusedByNameAtImport) {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 2, 3});
  int perm = f.ints("perm", {3}, {0, 2, 1});
  int mid = f.tensor("t", {1, 3, 2});
  int out = f.tensor("y", {1, 3, 2});
  f.op(39 /* TRANSPOSE */, {in, perm}, {mid});
  f.op(b::relu, {mid}, {out});
  f.op(b::custom, {mid}, {out});
  try {
    import(f.finish({in}, {out}));
    FAIL() << "imported";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unprocessable);
    EXPECT_NE(std::string(e.what()).find("TRANSPOSE x1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("CUSTOM()"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace edgeml::tflite
