// Writes the binary seed files of fuzz/corpus (model files cannot be typed by hand): small ONNX graphs written with
// the zoo's GraphBuilder, small TFLite files written with the tests' TfliteFileBuilder (tests/tflite), and the
// PyTorch state dict of the tests (tests/onnx/torch_files), in its zip container and in the legacy stream.
// Each is a few KB at most. Run once after changing a builder:
//   build-fuzz/bin/make_model_seeds fuzz/corpus
// The text seeds (CSV, JSON, multipart, queries) are committed as written; see fuzz/README.md.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "onnx/graph_builder.hpp"
#include "tflite/schema.hpp"
#include "tflite_builder.hpp"
#include "torch_files.hpp"
#include "torch_zip.hpp"

namespace {

namespace fs = std::filesystem;
namespace s = edgeml::tflite::schema;
namespace b = edgeml::tflite::schema::builtin;
using edgeml::tflite::testing::QuantSpec;
using edgeml::tflite::testing::TfliteFileBuilder;

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
  std::printf("%s/%s: %zu bytes\n", dir.string().c_str(), name.c_str(), bytes.size());
}

// conv (3x3, BN, ReLU6) -> depthwise-style grouped conv (hard-swish) -> squeeze-excite gate -> pool -> classifier.
std::string onnx_small_cnn() {
  edgeml::onnx::GraphBuilder g(1);
  auto x = g.input(3, 8, 8);
  x = g.activation(g.batch_norm(g.conv(x, 4, 3, 2)), edgeml::onnx::Act::relu6);
  auto y = g.activation(g.conv(x, 4, 3, 1, 4), edgeml::onnx::Act::hard_swish);
  auto gate = g.hard_sigmoid(g.conv(g.global_avg_pool(y), 4, 1, 1, 1, true));
  y = g.add(g.gate(gate, y), x);
  y = g.max_pool(y, 2, 2, 0);
  g.classifier(g.global_avg_pool(y), 5);
  return g.serialize("small_cnn", {{"edgeml.preprocess", "imagenet"}});
}

// Concat, channel shuffle and split of the ShuffleNet blocks, and swish.
std::string onnx_shuffle_block() {
  edgeml::onnx::GraphBuilder g(2);
  auto x = g.input(4, 6, 6);
  auto [a, c] = g.split_half(x);
  auto y = g.concat({a, g.activation(g.conv(c, 2, 1), edgeml::onnx::Act::swish)});
  y = g.channel_shuffle(y, 2);
  g.classifier(g.global_avg_pool(y), 3);
  return g.serialize("shuffle_block", {});
}

// conv (int8 per-channel weights) -> mean -> reshape -> fully connected -> softmax (the hostile test's model).
std::string tflite_small_classifier() {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 4, 4, 3});
  int w = f.int8s("w", {2, 3, 3, 3}, std::vector<int8_t>(54, 7), QuantSpec{{0.1f, 0.2f}, {0, 0}, 0});
  int bias = f.floats("b", {2}, {0.5f, -0.5f});
  int conv = f.tensor("conv", {1, 4, 4, 2});
  int axes = f.ints("axes", {2}, {1, 2});
  int pooled = f.tensor("pooled", {1, 1, 1, 2});
  int shape = f.ints("shape", {2}, {1, 2});
  int flat = f.tensor("flat", {1, 2});
  int fw = f.floats("fw", {3, 2}, {1, 2, 3, 4, 5, 6});
  int logits = f.tensor("logits", {1, 3});
  int probs = f.tensor("probs", {1, 3});
  f.op(b::conv_2d, {in, w, bias}, {conv}, s::options_type::conv2d,
       edgeml::tflite::testing::conv_options(s::Padding::same, 1, 1));
  f.op(b::mean, {conv, axes}, {pooled}, s::options_type::reducer,
       {edgeml::tflite::testing::opt_i8(s::reducer_options::keep_dims, 1)});
  f.op(b::reshape, {pooled, shape}, {flat});
  f.op(b::fully_connected, {flat, fw, -1}, {logits}, s::options_type::fully_connected,
       {edgeml::tflite::testing::opt_i8(s::fully_connected_options::activation, 0)});
  f.op(b::softmax, {logits}, {probs}, s::options_type::softmax,
       {edgeml::tflite::testing::opt_f32(s::softmax_options::beta, 1.0f)});
  return f.finish({in}, {probs});
}

// Depthwise conv with uint8 per-tensor weights and a fused ReLU, then average and max pooling concatenated.
std::string tflite_depthwise_pools() {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 6, 6, 2});
  std::vector<uint8_t> dw(36);
  for (size_t i = 0; i < dw.size(); ++i) dw[i] = static_cast<uint8_t>(100 + i);
  int w = f.uint8s("dw", {1, 3, 3, 4}, dw, QuantSpec{{0.02f}, {128}, 3});
  int bias = f.floats("db", {4}, {0.1f, 0.2f, 0.3f, 0.4f});
  int d = f.tensor("d", {1, 6, 6, 4});
  int avg = f.tensor("avg", {1, 3, 3, 4});
  int max = f.tensor("max", {1, 3, 3, 4});
  int cat = f.tensor("cat", {1, 3, 3, 8});
  f.op(b::depthwise_conv_2d, {in, w, bias}, {d}, s::options_type::depthwise,
       edgeml::tflite::testing::depthwise_options(s::Padding::same, 1, 1, 2, s::Activation::relu));
  f.op(b::average_pool_2d, {d}, {avg}, s::options_type::pool2d,
       edgeml::tflite::testing::pool_options(s::Padding::valid, 2, 2));
  f.op(b::max_pool_2d, {d}, {max}, s::options_type::pool2d,
       edgeml::tflite::testing::pool_options(s::Padding::valid, 2, 2));
  f.op(b::concatenation, {avg, max}, {cat}, s::options_type::concatenation,
       {edgeml::tflite::testing::opt_i32(s::concatenation_options::axis, 3)});
  return f.finish({in}, {cat});
}

// QUANTIZE -> DEQUANTIZE around an ADD with float16 constants.
std::string tflite_quantize_float16() {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 4});
  std::vector<uint16_t> half;
  for (float v : {0.5f, -1.0f, 2.0f, 0.25f}) half.push_back(edgeml::tflite::testing::float_to_half(v));
  int c16 = f.halfs("c16", {1, 4}, half);
  int c = f.tensor("c", {1, 4});
  int sum = f.tensor("sum", {1, 4});
  QuantSpec q{{0.05f}, {3}, 0};
  int qsum = f.tensor("qsum", {1, 4}, s::TensorType::int8, "", &q);
  int out = f.tensor("out", {1, 4});
  f.op(b::dequantize, {c16}, {c});
  f.op(b::add, {in, c}, {sum}, s::options_type::add, edgeml::tflite::testing::activation_options(s::Activation::none));
  f.op(b::quantize, {sum}, {qsum});
  f.op(b::dequantize, {qsum}, {out});
  return f.finish({in}, {out});
}

// pad -> sub -> mul -> logistic -> mean -> squeeze -> fully connected -> relu -> relu6 -> softmax.
std::string tflite_elementwise_head() {
  namespace t = edgeml::tflite::testing;
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 4, 4, 3});
  int pads = f.ints("pads", {4, 2}, {0, 0, 1, 0, 0, 1, 0, 0});
  int padded = f.tensor("padded", {1, 5, 5, 3});
  int shift = f.floats("shift", {3}, {0.5f, -1.0f, 0.25f});
  int shifted = f.tensor("shifted", {1, 5, 5, 3});
  int two = f.floats("two", {}, {2.0f});
  int doubled = f.tensor("doubled", {1, 5, 5, 3});
  int sig = f.tensor("sig", {1, 5, 5, 3});
  int axes = f.ints("axes", {2}, {1, 2});
  int pooled = f.tensor("pooled", {1, 1, 1, 3});
  int flat = f.tensor("flat", {1, 3});
  int w = f.floats("fc_w", {2, 3}, {0.1f, 0.2f, 0.3f, -0.1f, -0.2f, -0.3f});
  int bias = f.floats("fc_b", {2}, {0.1f, 0.2f});
  int fc = f.tensor("fc", {1, 2});
  int r = f.tensor("relu", {1, 2});
  int r6 = f.tensor("relu6", {1, 2});
  int out = f.tensor("probs", {1, 2});
  f.op(b::pad, {in, pads}, {padded});
  f.op(b::sub, {padded, shift}, {shifted}, s::options_type::sub, t::activation_options(s::Activation::none));
  f.op(b::mul, {shifted, two}, {doubled}, s::options_type::mul, t::activation_options(s::Activation::none));
  f.op(b::logistic, {doubled}, {sig});
  f.op(b::mean, {sig, axes}, {pooled}, s::options_type::reducer, {t::opt_i8(s::reducer_options::keep_dims, 1)});
  f.op(b::squeeze, {pooled}, {flat}, s::options_type::squeeze, {t::opt_ints(s::squeeze_options::squeeze_dims, {1, 2})});
  f.op(b::fully_connected, {flat, w, bias}, {fc}, s::options_type::fully_connected,
       {t::opt_i8(s::fully_connected_options::activation, 0)});
  f.op(b::relu, {fc}, {r});
  f.op(b::relu6, {r}, {r6});
  f.op(b::softmax, {r6}, {out}, s::options_type::softmax, {t::opt_f32(s::softmax_options::beta, 1.0f)});
  return f.finish({in}, {out});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_model_seeds CORPUS_DIR (fuzz/corpus)\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  const std::string torch = edgeml::testing::torch_zip(edgeml::onnx::testing::state_dict_pickle());
  // Pre-1.6 torch.save: magic number, protocol version, system info, then the object (tests/onnx/pytorch_test).
  std::string legacy = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.";
  legacy += std::string("\x80\x02M\xe9\x03.", 6);
  legacy += std::string("\x80\x02}q\x00.", 6);
  legacy += edgeml::onnx::testing::state_dict_pickle();
  legacy += "raw storage bytes follow";

  const std::vector<std::pair<std::string, std::string>> tflite = {
      {"small_classifier.tflite", tflite_small_classifier()},
      {"depthwise_pools.tflite", tflite_depthwise_pools()},
      {"quantize_float16.tflite", tflite_quantize_float16()},
      {"elementwise_head.tflite", tflite_elementwise_head()}};
  for (const auto& [name, bytes] : tflite) {
    write(corpus / "tflite_import", name, bytes);
    write(corpus / "onnx_inspect", name, bytes);  // the inspector reads TFLite too
  }
  write(corpus / "onnx_inspect", "small_cnn.onnx", onnx_small_cnn());
  write(corpus / "onnx_inspect", "shuffle_block.onnx", onnx_shuffle_block());
  write(corpus / "onnx_inspect", "state_dict.pt", torch);
  write(corpus / "onnx_inspect", "state_dict_legacy.pt", legacy);
  return 0;
}
