// Truncated, corrupt, empty, random and oversized files: always a std::runtime_error saying what is wrong, never a
// crash, a hang or a made-up answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "common/error.hpp"
#include "onnx/inspector.hpp"
#include "onnx/zoo.hpp"
#include "test_models.hpp"

namespace edgeml::onnx {
namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::TempDir;

TEST(HostileFiles, TruncatedZooModelIsRefusedAtEveryCut) {
  const std::string bytes = zoo_build("mobilenetv3_small_100");
  // The graph takes all but the last few hundred bytes (opset and metadata follow it), so any cut in the first
  // 99% leaves an unusable model.
  std::vector<size_t> cuts = {2, 3, 7, 16, 64, 100, 1000, 4096};
  for (int i = 1; i < 100; ++i) cuts.push_back(bytes.size() / 100 * i);
  for (size_t cut : cuts) {
    std::string err = error_of([&] { inspect_bytes(std::string_view(bytes).substr(0, cut)); });
    EXPECT_NE(err.find("not a valid ONNX model"), std::string::npos) << "cut at " << cut << ": '" << err << "'";
  }
}

TEST(HostileFiles, SmallModelCutAtEveryByteNeverCrashes) {
  const std::string bytes =
      testing::slurp(std::string(ONNX_TESTDATA_DIR) + "/pytorch-converted/test_Conv2d_groups/model.onnx");
  int refused = 0;
  for (size_t cut = 1; cut < bytes.size(); ++cut) {
    try {
      InspectResult r = inspect_bytes(std::string_view(bytes).substr(0, cut));
      EXPECT_EQ(r.graph_stats, r.format == "onnx") << cut;
    } catch (const std::runtime_error& e) {
      EXPECT_FALSE(std::string(e.what()).empty());
      ++refused;
    }
  }
  EXPECT_GT(refused, static_cast<int>(bytes.size()) / 2);
}

TEST(HostileFiles, FlippedBytesNeverCrash) {
  const std::string original = zoo_build("squeezenet1_1");
  std::mt19937 rng(7);
  for (int i = 0; i < 40; ++i) {
    std::string bytes = original;
    // Corrupt the first KiB (graph structure, not weights) in a few places.
    for (int k = 0; k < 4; ++k) bytes[rng() % 1024] = static_cast<char>(rng());
    try {
      inspect_bytes(bytes);
    } catch (const std::runtime_error& e) {
      EXPECT_FALSE(std::string(e.what()).empty());
    }
  }
}

TEST(HostileFiles, RandomBytesAreUnknownOrRefused) {
  std::mt19937 rng(42);
  for (int i = 0; i < 200; ++i) {
    std::string bytes(1 + rng() % 5000, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (i % 2) bytes[0] = 0x08, bytes[1] = 0x07;  // starts like an ONNX ModelProto (ir_version 7)
    try {
      InspectResult r = inspect_bytes(bytes);
      EXPECT_NE(r.format, "onnx") << "random bytes accepted as ONNX";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("not a valid ONNX model"), std::string::npos) << e.what();
    }
  }
}

TEST(HostileFiles, TextThatIsNotUtf8IsAnsweredWithReplacementCharacters) {
  // Found by fuzz/onnx_inspect_fuzzer: an ONNX file whose producer_name starts with the byte 0x98. The inspection
  // read it, but writing the answer (inspect_to_json(...).dump(), as the inspect route and CLI do) threw
  // nlohmann's type_error 316 on invalid UTF-8.
  const std::string bytes =
      testing::slurp(std::string(EDGEML_SOURCE_DIR) + "/fuzz/corpus/onnx_inspect/finding-producer-not-utf8.onnx");
  const InspectResult r = inspect_bytes(bytes);
  EXPECT_EQ(r.producer.substr(0, 12),
            "\x98"
            "ackend-test");  // the result keeps the bytes as read
  std::string text;
  ASSERT_NO_THROW(text = inspect_to_json(r).dump());
  EXPECT_NE(text.find("\"producer\":\"\xEF\xBF\xBD"
                      "ackend-test"),
            std::string::npos)
      << text;
}

TEST(HostileFiles, AnOldGemmWithARankOneInputDoesNotCrashShapeInference) {
  // Found by fuzz/onnx_inspect_fuzzer: an opset-6 model (two Gemm, from the ONNX test data) whose input '1' was cut
  // to rank 1. ONNX 1.12's Gemm-6 shape inference took dim(1) of it unchecked and the process died (SEGV in
  // TensorShapeProto_Dimension::MergeImpl); the guarded schema refuses that node's inference instead.
  const std::string bytes =
      testing::slurp(std::string(EDGEML_SOURCE_DIR) + "/fuzz/corpus/onnx_inspect/finding-gemm6-rank1-input.onnx");
  try {
    const InspectResult r = inspect_bytes(bytes);
    EXPECT_EQ(r.format, "onnx");
    EXPECT_GE(r.nodes, 1);
  } catch (const std::runtime_error& e) {
    EXPECT_FALSE(std::string(e.what()).empty());
  }
}

TEST(HostileFiles, EmptyFileIsRefused) {
  TempDir dir;
  testing::spit(dir.path() / "empty.onnx", "");
  EXPECT_NE(error_of([&] { inspect_file(dir.path() / "empty.onnx"); }).find("empty"), std::string::npos);
  EXPECT_NE(error_of([&] { inspect_bytes(""); }).find("empty"), std::string::npos);
}

TEST(HostileFiles, NonModelNamedOnnxIsRefused) {
  TempDir dir;
  testing::spit(dir.path() / "notes.onnx", "just some text");
  EXPECT_NE(error_of([&] { inspect_file(dir.path() / "notes.onnx"); }).find("not a valid ONNX model"),
            std::string::npos);
}

TEST(HostileFiles, MissingFileIsNotFound) { EXPECT_THROW(inspect_file("/nonexistent/model.onnx"), NotFoundError); }

TEST(HostileFiles, FileOverTheLimitIsRefusedBeforeReading) {
  TempDir dir;
  testing::spit(dir.path() / "m.onnx", zoo_build("squeezenet1_1"));
  InspectOptions small;
  small.max_bytes = 1 << 20;
  std::string err = error_of([&] { inspect_file(dir.path() / "m.onnx", small); });
  EXPECT_NE(err.find("over the inspector's limit of 1048576 bytes"), std::string::npos) << err;
  EXPECT_NE(error_of([&] { inspect_bytes(zoo_build("squeezenet1_1"), {}, small); }).find("limit"), std::string::npos);

  // A 3 GiB sparse file against the default limit (protobuf's 2 GiB): refused from its size, without reading it.
  const fs::path huge = dir.path() / "huge.onnx";
  testing::spit(huge, "");
  fs::resize_file(huge, uint64_t{3} << 30);
  err = error_of([&] { inspect_file(huge); });
  EXPECT_NE(err.find("3221225472 bytes, over the inspector's limit"), std::string::npos) << err;
}

}  // namespace
}  // namespace edgeml::onnx
