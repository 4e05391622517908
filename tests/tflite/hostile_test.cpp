// Truncated, bit-flipped, random, oversized and hand-crafted bad TFLite files: import() either gives a model or
// throws edgeml::Error saying what is wrong -- never another exception, a crash, a hang or a read outside the bytes
// (this executable links only the reader and importer, so it is cheap to build with -fsanitize=address).
#include <gtest/gtest.h>

#include <random>

#include "common/error.hpp"
#include "common/files.hpp"
#include "tflite/describe.hpp"
#include "tflite/importer.hpp"
#include "tflite/reader.hpp"
#include "tflite_builder.hpp"

namespace edgeml::tflite {
namespace {

namespace s = schema;
namespace b = schema::builtin;
using testing::QuantSpec;
using testing::TfliteFileBuilder;

// A small but complete model: conv (int8 per-channel weights) -> mean -> reshape -> fully connected -> softmax.
std::string small_model() {
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
  f.op(b::conv_2d, {in, w, bias}, {conv}, s::options_type::conv2d, testing::conv_options(s::Padding::same, 1, 1));
  f.op(b::mean, {conv, axes}, {pooled}, s::options_type::reducer, {testing::opt_i8(s::reducer_options::keep_dims, 1)});
  f.op(b::reshape, {pooled, shape}, {flat});
  f.op(b::fully_connected, {flat, fw, -1}, {logits}, s::options_type::fully_connected,
       {testing::opt_i8(s::fully_connected_options::activation, 0)});
  f.op(b::softmax, {logits}, {probs}, s::options_type::softmax, {testing::opt_f32(s::softmax_options::beta, 1.0f)});
  return f.finish({in}, {probs});
}

// "" when describe() and import() succeeded; the message when either threw edgeml::Error; a test failure for anything
// else.
std::string outcome(std::string_view bytes) {
  try {
    // The inspector's path too: facts from a model that reads, then the translation.
    describe(ModelFile(bytes).model());
    import(bytes);
    return "";
  } catch (const Error& e) {
    EXPECT_FALSE(std::string(e.what()).empty());
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an edgeml::Error: " << e.what();
    return e.what();
  }
}

TEST(TfliteHostile, AMisalignedInt64VectorIsRefused) {
  // Found by fuzz/tflite_import_fuzzer: a quantization's zero_point vector (int64) 4 bytes off its alignment. The
  // FlatBuffers verifier checks only the length word's alignment, so reading the elements was undefined behaviour
  // (UBSan: misaligned load in flatbuffers::ReadScalar). The file as found, with tensor 1's negative dimension set to
  // 1 so that the next check lets it reach the vector.
  const std::string bytes =
      read_file(EDGEML_SOURCE_DIR "/fuzz/corpus/tflite_import/finding-misaligned-int64-zero-point.tflite");
  const std::string error = outcome(bytes);
  EXPECT_NE(error.find("vector 'zero_point' is not aligned to 8 bytes"), std::string::npos) << error;
}

TEST(TfliteHostile, NegativeDimensionsAreRefused) {
  // Found by fuzz/tflite_import_fuzzer: a tensor shape with a negative dimension read, and describe() gave negative
  // parameter / MAC / FLOP counts for the inspector to show.
  const std::string error =
      outcome(read_file(EDGEML_SOURCE_DIR "/fuzz/corpus/tflite_import/finding-negative-counts.tflite"));
  EXPECT_NE(error.find("negative"), std::string::npos) << error;
}

TEST(TfliteHostile, SmallModelImports) { EXPECT_EQ(outcome(small_model()), ""); }

TEST(TfliteHostile, EveryTruncationOfASmallModelIsRefused) {
  const std::string bytes = small_model();
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    const std::string part = bytes.substr(0, cut);  // its own allocation, so a read past the end is caught by ASan
    EXPECT_NE(outcome(part), "") << "cut at " << cut << " of " << bytes.size();
  }
}

TEST(TfliteHostile, TruncationsOfTheRealModelAreRefused) {
  const std::string bytes = read_file(std::string(EDGEML_SHARED_DATA) + "/mobilenetv3_small_075.tflite");
  for (int i = 1; i < 60; ++i) {
    const std::string part = bytes.substr(0, bytes.size() / 60 * i);
    EXPECT_NE(outcome(part), "") << "cut at " << part.size();
  }
}

TEST(TfliteHostile, EveryFlippedByteOfASmallModelIsHandled) {
  const std::string original = small_model();
  int refused = 0;
  for (size_t at = 0; at < original.size(); ++at)
    for (uint8_t mask : {0xffu, 0x01u, 0x80u}) {
      std::string bytes = original;
      bytes[at] = static_cast<char>(bytes[at] ^ mask);
      refused += !outcome(bytes).empty();
    }
  EXPECT_GT(refused, 0);
}

TEST(TfliteHostile, RandomCorruptionOfTheRealModelIsHandled) {
  const std::string original = read_file(std::string(EDGEML_SHARED_DATA) + "/mobilenetv3_small_075.tflite");
  std::mt19937 rng(12);
  for (int i = 0; i < 25; ++i) {
    std::string bytes = original;
    // The graph's tables sit near the start and the end of the file; weights in between.
    for (int k = 0; k < 6; ++k) {
      const size_t at = (k % 2 ? bytes.size() - 1 - rng() % 20000 : rng() % 20000);
      bytes[at] = static_cast<char>(rng());
    }
    outcome(bytes);
  }
}

TEST(TfliteHostile, RandomBlobsWithTheIdentifierAreRefused) {
  std::mt19937 rng(99);
  for (int i = 0; i < 300; ++i) {
    std::string bytes(8 + rng() % 2048, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    bytes.replace(4, 4, "TFL3");
    if (i % 2) bytes[0] = static_cast<char>(16 + rng() % 64), bytes[1] = bytes[2] = bytes[3] = 0;  // a plausible root
    EXPECT_NE(outcome(bytes), "");
  }
}

TEST(TfliteHostile, OversizedModelIsRefusedByItsSize) {
  const std::string bytes = small_model();
  try {
    read_model(bytes, ReadLimits{bytes.size() - 1});
    FAIL() << "read";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::too_large);
  }
}

std::string message_of(const std::string& bytes) {
  const std::string m = outcome(bytes);
  EXPECT_NE(m, "") << "imported";
  return m;
}

TEST(TfliteHostile, CyclicGraphIsRefused) {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 4});
  int a = f.tensor("a", {1, 4});
  int c = f.tensor("c", {1, 4});
  f.op(b::add, {in, c}, {a}, s::options_type::add, testing::activation_options(s::Activation::none));
  f.op(b::relu, {a}, {c});
  EXPECT_NE(message_of(f.finish({in}, {c})).find("before any operator writes it"), std::string::npos);
}

TEST(TfliteHostile, TensorIndexOutOfRangeIsRefused) {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 4});
  int out = f.tensor("y", {1, 4});
  f.op(b::relu, {in + 40}, {out});
  EXPECT_NE(message_of(f.finish({in}, {out})).find("tensor index 40 out of range"), std::string::npos);
}

TEST(TfliteHostile, MismatchedQuantizationArraysAreRefused) {
  auto model = [](QuantSpec q) {
    TfliteFileBuilder f;
    int in = f.tensor("x", {1, 2, 2, 3});
    int w = f.int8s("w", {4, 1, 1, 3}, std::vector<int8_t>(12, 1), q);
    int out = f.tensor("y", {1, 2, 2, 4});
    f.op(b::conv_2d, {in, w, -1}, {out}, s::options_type::conv2d, testing::conv_options(s::Padding::valid, 1, 1));
    return f.finish({in}, {out});
  };
  EXPECT_NE(message_of(model({{0.1f, 0.1f, 0.1f}, {0, 0, 0}, 0})).find("3 per-channel scales for an axis of 4"),
            std::string::npos);
  EXPECT_NE(message_of(model({{0.1f, 0.1f, 0.1f, 0.1f}, {0, 0}, 0})).find("4 scales but 2 zero points"),
            std::string::npos);
  EXPECT_NE(message_of(model({{0.1f, 0.1f, 0.1f, 0.1f}, {0, 0, 0, 0}, 7})).find("quantized_dimension 7"),
            std::string::npos);
  EXPECT_NE(message_of(model({{}, {}, 0})).find("no quantization scale"), std::string::npos);
}

TEST(TfliteHostile, BufferSmallerThanItsShapeIsRefused) {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 3});
  int w = f.tensor("w", {2, 3}, s::TensorType::float32, std::string(20, '\0'));  // 6 floats need 24 bytes
  int out = f.tensor("y", {1, 2});
  f.op(b::fully_connected, {in, w, -1}, {out});
  EXPECT_NE(message_of(f.finish({in}, {out})).find("holds 20 bytes"), std::string::npos);
}

TEST(TfliteHostile, DeclaredShapeThatDisagreesWithTheComputationIsRefused) {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 5, 5, 1});
  int out = f.tensor("y", {1, 4, 4, 1});  // a 2x2 VALID pool with stride 2 gives 2x2
  f.op(b::max_pool_2d, {in}, {out}, s::options_type::pool2d, testing::pool_options(s::Padding::valid, 2, 2));
  EXPECT_NE(message_of(f.finish({in}, {out})).find("declared [1,4,4,1] but the inputs give [1,2,2,1]"),
            std::string::npos);
}

TEST(TfliteHostile, WrongSchemaVersionAndWrongOptionsTableAreRefused) {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 4});
  int out = f.tensor("y", {1, 4});
  f.op(b::softmax, {in}, {out}, s::options_type::conv2d, testing::conv_options(s::Padding::valid, 1, 1));
  EXPECT_NE(message_of(f.finish({in}, {out}, 2)).find("schema version 2"), std::string::npos);
  EXPECT_NE(message_of(f.finish({in}, {out})).find("does not match the operator"), std::string::npos);
}

TEST(TfliteHostile, HugeDimensionsAreRefusedBeforeAnyAllocation) {
  TfliteFileBuilder f;
  int in = f.tensor("x", {1, 65536, 65536, 3});
  int out = f.tensor("y", {1, 65536, 65536, 3});
  f.op(b::relu, {in}, {out});
  EXPECT_NE(message_of(f.finish({in}, {out})).find("more than 2^31 elements"), std::string::npos);
}

}  // namespace
}  // namespace edgeml::tflite
