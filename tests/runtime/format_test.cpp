// Format detection from bytes, and the refusal every backend gives a format it has no runtime for.
#include <gtest/gtest.h>

#include <fstream>

#include "onnx_builder.hpp"
#include "runtime/runtime.hpp"

using namespace edgeml::runtime;
using edgeml::testing::GraphBuilder;
using edgeml::testing::TempDir;

namespace {
const std::filesystem::path kTflite = std::filesystem::path(EDGEML_SHARED_DATA) / "mobilenetv3_small_075.tflite";

std::filesystem::path write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

std::filesystem::path relu_model(const TempDir& dir) {
  GraphBuilder g;
  g.input("x", {1, 4});
  g.output("y", {1, 4});
  g.node("Relu", {"x"}, {"y"});
  return g.save(dir / "relu.onnx");
}
}  // namespace

TEST(RuntimeFormat, DetectsRealTfliteFile) { EXPECT_EQ(detect_format(kTflite), "tflite"); }

TEST(RuntimeFormat, DetectsOnnxWrittenByLibonnx) {
  TempDir dir;
  EXPECT_EQ(detect_format(relu_model(dir)), "onnx");
}

TEST(RuntimeFormat, DetectsDebianTestdataModel) {
  const std::filesystem::path p = "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d/model.onnx";
  if (!std::filesystem::exists(p)) GTEST_SKIP() << "libonnx-testdata is not installed";
  EXPECT_EQ(detect_format(p), "onnx");
}

TEST(RuntimeFormat, DetectsLegacyPytorchPickle) {
  TempDir dir;
  // Zip archives are checked byte by byte in tests/onnx (the one detector, edgeml::onnx::detect_format).
  EXPECT_EQ(detect_format(write_bytes(dir / "old.pt", std::string("\x80\x02\x8a\x0a", 4) + "lots of pickle")),
            "pytorch");
}

TEST(RuntimeFormat, UnknownForEmptyAndRandomFilesTruncatedOnnxFailsToLoad) {
  TempDir dir;
  EXPECT_EQ(detect_format(write_bytes(dir / "empty.onnx", "")), "unknown");
  EXPECT_EQ(detect_format(write_bytes(dir / "text.onnx", "hello, not a model")), "unknown");
  std::string onnx_bytes;
  GraphBuilder g;
  g.input("x", {1, 4});
  g.output("y", {1, 4});
  g.node("Relu", {"x"}, {"y"});
  g.model().SerializeToString(&onnx_bytes);
  // A truncated ONNX file is still recognised as ONNX by its content; loading it is what fails, with the reason.
  auto cut = write_bytes(dir / "cut.onnx", onnx_bytes.substr(0, onnx_bytes.size() / 2));
  EXPECT_EQ(detect_format(cut), "onnx");
  EXPECT_THROW(make_runtime("opencv")->load(cut, {}), std::runtime_error);
}

TEST(RuntimeFormat, MissingFileIsAnErrorNamingIt) {
  try {
    detect_format("/nonexistent/model.onnx");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.onnx"), std::string::npos) << e.what();
  }
}

class RuntimeRefusesFormats : public ::testing::TestWithParam<std::string> {};

TEST_P(RuntimeRefusesFormats, TfliteRunsThroughTheImporter) {
  auto rt = make_runtime(GetParam());
  rt->load(kTflite, {});  // translated to ONNX in memory (src/tflite); tests/tflite checks the answers
  EXPECT_EQ(rt->input().shape, (std::vector<int64_t>{1, 224, 224, 3}));
  EXPECT_EQ(rt->adjustments().at(0), "translated from TFLite to ONNX in memory");
}

TEST_P(RuntimeRefusesFormats, PytorchHasNoRuntime) {
  TempDir dir;
  auto p = write_bytes(dir / "m.pth", std::string("\x80\x02\x8a\x0a", 4) + "legacy torch.save pickle");
  try {
    make_runtime(GetParam())->load(p, {});
    FAIL() << "pytorch was loaded";
  } catch (const RuntimeRefusal& e) {
    // The reason and the way out.
    EXPECT_NE(std::string(e.what()).find("no runtime for pytorch in this build"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("export it to ONNX"), std::string::npos) << e.what();
  }
}

TEST_P(RuntimeRefusesFormats, GarbageIsRefusedNotCrashed) {
  TempDir dir;
  auto p = write_bytes(dir / "junk.onnx", std::string("\x08\x07\x12\xff\xff\xff\xff\x0f garbage", 17));
  // It starts like ONNX, so it is refused at parse time with the parser's reason (a load error, not a crash).
  EXPECT_THROW(make_runtime(GetParam())->load(p, {}), std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(Backends, RuntimeRefusesFormats, ::testing::ValuesIn(available_backends()));

TEST(RuntimeFactory, UnknownBackendIsRefused) {
  EXPECT_THROW(make_runtime("tensorrt"), RuntimeRefusal);
  EXPECT_EQ(make_runtime("auto")->backend(), available_backends().front());
}
