// The inspector on graphs whose counts can be worked out by hand (files from Debian's libonnx-testdata, written by
// PyTorch and the ONNX backend tests), and format detection on real files of each format.
#include "onnx/inspector.hpp"

#include <gtest/gtest.h>

#include <string>

#include "onnx/model_format.hpp"
#include "onnx/zoo.hpp"
#include "test_models.hpp"
#include "torch_zip.hpp"

namespace edgeml::onnx {
namespace {

const std::string kData = ONNX_TESTDATA_DIR;

InspectResult inspect_case(const std::string& rel) { return inspect_file(kData + "/" + rel + "/model.onnx"); }

TEST(InspectorCounts, DepthwiseConvCountsOneInputChannelPerOutput) {
  // PyTorch Conv2d(4, 4, 3, stride 2, groups 4): W [4,1,3,3] + bias [4]; input [2,4,6,6] -> output [2,4,2,2].
  auto r = inspect_case("pytorch-converted/test_Conv2d_depthwise_strided");
  EXPECT_EQ(r.params, 4 * 1 * 3 * 3 + 4);
  EXPECT_DOUBLE_EQ(r.macs, 2 * 4 * 2 * 2 * (1 * 3 * 3));  // output elements x (C/group) x kernel
  EXPECT_DOUBLE_EQ(r.flops, 2 * r.macs);
  EXPECT_EQ(r.input_shape, (std::vector<int64_t>{2, 4, 6, 6}));
  EXPECT_EQ(r.opset, 6);
  EXPECT_EQ(r.producer, "pytorch 0.3");
  EXPECT_EQ(r.ops.at("Conv"), 1);
}

TEST(InspectorCounts, GroupedConv) {
  // Conv2d(4, 6, (3,2), groups 2): W [6,2,3,2] + bias [6]; input [2,4,6,5] -> output [2,6,4,4].
  auto r = inspect_case("pytorch-converted/test_Conv2d_groups");
  EXPECT_EQ(r.params, 6 * 2 * 3 * 2 + 6);
  EXPECT_DOUBLE_EQ(r.macs, 2 * 6 * 4 * 4 * (2 * 3 * 2));
}

TEST(InspectorCounts, GemmWithWeightsAsGraphInputsHasNoParameters) {
  // Y = A[2,10] x B[10,3]; B is a graph input, not a stored weight, so the file holds no parameters.
  auto r = inspect_case("node/test_gemm_default_no_bias");
  EXPECT_EQ(r.params, 0);
  EXPECT_DOUBLE_EQ(r.macs, 2 * 3 * 10);
  EXPECT_EQ(r.opset, 13);
}

TEST(InspectorCounts, ConvTransposeCountsInputElements) {
  // X [1,1,3,3], W [1,2,3,3]: each input element is multiplied into (2 output channels x 3x3 kernel) places.
  auto r = inspect_case("node/test_convtranspose");
  EXPECT_DOUBLE_EQ(r.macs, 9 * 2 * 3 * 3);
}

TEST(InspectorCounts, BatchNormRunningStatsAreNotParameters) {
  // BatchNorm2d(3) in eval: gamma and beta are parameters, running mean and var are buffers.
  auto r = inspect_case("pytorch-converted/test_BatchNorm2d_eval");
  EXPECT_EQ(r.params, 3 + 3);
  EXPECT_DOUBLE_EQ(r.macs, 0);
  EXPECT_DOUBLE_EQ(r.flops, 2 * (2 * 3 * 6 * 6));  // scale + shift per output element
}

TEST(InspectorJson, HasTheAgreedFields) {
  auto j = inspect_to_json(inspect_case("pytorch-converted/test_Conv2d_groups"));
  for (const char* k : {"format", "params", "gmacs", "gflops", "size_mb", "input_shape", "opset", "ops"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["format"], "onnx");
  EXPECT_EQ(j["params"], 78);
  EXPECT_DOUBLE_EQ(j["gmacs"].get<double>(), 2304e-9);
  EXPECT_DOUBLE_EQ(j["gflops"].get<double>(), 4608e-9);
  EXPECT_EQ(j["ops"]["Conv"], 1);
  EXPECT_EQ(j["input_shape"], nlohmann::json::array({2, 4, 6, 5}));
}

TEST(InspectorFormat, RealTfliteFileIsCounted) {
  // Figures from ../shared/notes/tflite.md (checked there with an independent implementation).
  const std::string path = std::string(EDGEML_SHARED_DATA) + "/mobilenetv3_small_075.tflite";
  auto r = inspect_file(path);
  EXPECT_EQ(r.format, "tflite");
  ASSERT_TRUE(r.graph_stats);
  EXPECT_EQ(r.params, 2'037'032);
  EXPECT_EQ(r.macs, 43'399'344);
  EXPECT_GT(r.flops, 2 * r.macs);
  EXPECT_EQ(r.input_shape, (std::vector<int64_t>{1, 224, 224, 3}));
  EXPECT_EQ(r.input_type, "float32");
  EXPECT_EQ(r.ops.at("CONV_2D"), 43);
  EXPECT_EQ(r.nodes, 114);
  EXPECT_GT(r.weight_types.at("int8"), 2'000'000);
  EXPECT_TRUE(r.unsupported_ops.empty());
  EXPECT_EQ(r.refusal, "");
  auto j = inspect_to_json(r);
  EXPECT_EQ(j["params"], 2'037'032);
  EXPECT_DOUBLE_EQ(j["gmacs"].get<double>(), 0.043399344);
  EXPECT_EQ(j["runnable"], true);
  EXPECT_TRUE(j["opset"].is_null());
  EXPECT_EQ(j["ops"]["DEPTHWISE_CONV_2D"], 11);
}

// A zip archive with stored (uncompressed) entries named `names`, each holding "x".
std::string make_zip(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& name : names) entries.emplace_back(name, "x");
  return edgeml::testing::stored_zip(entries);
}

TEST(InspectorFormat, TorchSaveArchiveIsPytorch) {
  EXPECT_EQ(detect_format(make_zip({"resnet18/data.pkl", "resnet18/data/0", "resnet18/version"})),
            ModelFormat::pytorch);
  // A data.pkl that is not a pickle torch.save writes is a clear error, not a guess.
  try {
    inspect_bytes(make_zip({"archive/data.pkl", "archive/version"}));
    FAIL() << "inspected";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a readable PyTorch file"), std::string::npos) << e.what();
  }
}

TEST(InspectorFormat, OtherZipIsUnknown) {
  EXPECT_EQ(detect_format(make_zip({"readme.txt", "images/cat.png"})), ModelFormat::unknown);
  // A zip cut short (no central directory) is not mistaken for a PyTorch archive.
  std::string zip = make_zip({"archive/data.pkl"});
  EXPECT_EQ(detect_format(zip.substr(0, 40)), ModelFormat::unknown);
}

TEST(InspectorFormat, ZooModelIsOnnx) { EXPECT_EQ(detect_format(zoo_build("squeezenet1_1")), ModelFormat::onnx); }

TEST(InspectorFormat, TextIsUnknownNotAnError) {
  auto r = inspect_bytes("hello, this is not a model\n");
  EXPECT_EQ(r.format, "unknown");
  EXPECT_FALSE(r.graph_stats);
}

}  // namespace
}  // namespace edgeml::onnx
