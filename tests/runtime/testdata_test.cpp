// Models other people wrote: Debian's libonnx-testdata ships ONNX files with reference inputs and outputs. Every
// backend must reproduce the reference output or refuse the model with a reason; a silent wrong answer fails.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <fstream>

#include "runtime/runtime.hpp"

using namespace edgeml::runtime;

namespace {

const std::filesystem::path kTestdata = "/usr/share/libonnx-testdata/data";

std::vector<float> read_tensor(const std::filesystem::path& pb) {
  onnx::TensorProto t;
  std::ifstream in(pb, std::ios::binary);
  if (!t.ParseFromIstream(&in)) throw std::runtime_error("cannot parse " + pb.string());
  if (t.data_type() != onnx::TensorProto::FLOAT) throw std::runtime_error(pb.string() + " is not float");
  if (!t.raw_data().empty()) {
    std::vector<float> v(t.raw_data().size() / sizeof(float));
    std::memcpy(v.data(), t.raw_data().data(), v.size() * sizeof(float));
    return v;
  }
  return {t.float_data().begin(), t.float_data().end()};
}

struct Case {
  std::string dir;
  bool ort_runs;     // ONNX Runtime is expected to run it (else it must refuse with a reason)
  bool opencv_runs;  // likewise OpenCV 4.6
};

// CNN building blocks the zoo architectures use, plus the ops OpenCV 4.6 gets wrong. ONNX Runtime 1.29 has dropped
// the opset-1/6 kernels of a few old pytorch-converted files, and must say so rather than fail obscurely.
const std::vector<Case> kCases = {
    {"pytorch-converted/test_Conv2d", true, true},
    {"pytorch-converted/test_Conv2d_depthwise", true, true},
    {"pytorch-converted/test_Conv2d_depthwise_strided", true, true},
    {"pytorch-converted/test_Conv2d_groups", true, true},
    {"pytorch-converted/test_Conv2d_strided", true, true},
    {"pytorch-converted/test_Conv2d_padding", true, true},
    {"pytorch-converted/test_BatchNorm2d_eval", false, true},
    {"pytorch-converted/test_AvgPool2d", false, true},
    {"pytorch-converted/test_MaxPool2d", true, true},
    {"pytorch-converted/test_ReLU", true, true},
    {"pytorch-converted/test_Sigmoid", true, true},
    {"pytorch-converted/test_Softmax", true, true},
    {"pytorch-converted/test_Linear", false, true},
    {"node/test_hardsigmoid", true, true},
    {"node/test_hardswish", true, true},
    {"node/test_globalaveragepool", true, true},
    {"node/test_clip_default_inbounds", true, true},
    {"node/test_relu", true, true},
};

}  // namespace

class Testdata : public ::testing::TestWithParam<std::string> {};

TEST_P(Testdata, ReproducesReferenceOutputsOrRefuses) {
  if (!std::filesystem::exists(kTestdata)) GTEST_SKIP() << "libonnx-testdata is not installed (apt libonnx-testdata)";
  int ran = 0;
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.dir);
    const auto dir = kTestdata / c.dir;
    auto rt = make_runtime(GetParam());
    try {
      rt->load(dir / "model.onnx", {});
    } catch (const RuntimeRefusal& e) {
      EXPECT_FALSE(GetParam() == "ort" ? c.ort_runs : c.opencv_runs) << "refused: " << e.what();
      EXPECT_GT(std::string(e.what()).size(), 10u);
      continue;
    }
    EXPECT_TRUE(GetParam() == "ort" ? c.ort_runs : c.opencv_runs) << "expected a refusal";
    auto input = read_tensor(dir / "test_data_set_0/input_0.pb");
    auto expected = read_tensor(dir / "test_data_set_0/output_0.pb");
    auto output = rt->run(input);
    ASSERT_EQ(output.size(), expected.size());
    float scale = 1e-3f, diff = 0;
    for (float v : expected) scale = std::max(scale, std::abs(v));
    for (size_t i = 0; i < output.size(); ++i) diff = std::max(diff, std::abs(output[i] - expected[i]));
    EXPECT_LT(diff / scale, 1e-4) << "max abs diff " << diff << " on outputs of scale " << scale;
    ++ran;
  }
  EXPECT_GT(ran, 0);
}

INSTANTIATE_TEST_SUITE_P(Each, Testdata, ::testing::ValuesIn(available_backends()),
                         [](const auto& info) { return info.param; });
