// Every zoo architecture on both backends with the same seeded input: the outputs must agree within a tolerance
// relative to the output's scale, so a silent numeric fault (like OpenCV 4.6's wrong HardSwish fusion, 5e-2 on values
// of about 0.2) cannot pass. A backend may only decline a model with a RuntimeRefusal that says why.
#include "onnx/zoo.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "onnx_builder.hpp"
#include "runtime/runtime.hpp"

using namespace edgeml::runtime;
using edgeml::testing::seeded_input;
using edgeml::testing::TempDir;

namespace {

constexpr double kRelativeTolerance = 1e-3;
// Zoo models OpenCV 4.6 may decline even after the guard's rewrites. Only the transformer: 4.6 loads it but fails its
// own shape checks at the first forward (per-feature constants on token tensors), which load() turns into a refusal.
// Every CNN runs, so a new refusal there is a regression, not a pass.
const std::set<std::string> kOpenCvMayRefuse = {"deit_tiny_patch16_224"};

struct Outcome {
  std::vector<float> output;
  std::string refusal;
  std::vector<std::string> adjustments;
};

Outcome run_on(const std::string& backend, const std::filesystem::path& model, const std::vector<float>& input) {
  auto rt = make_runtime(backend);
  try {
    rt->load(model, {});
  } catch (const RuntimeRefusal& e) {
    return {{}, e.what(), {}};
  }
  EXPECT_EQ(rt->input().element_count(), input.size());
  return {rt->run(input), "", rt->adjustments()};
}

}  // namespace

class Zoo : public ::testing::TestWithParam<std::string> {};

TEST_P(Zoo, BothBackendsAgreeOrOneRefusesWithAReason) {
  TempDir dir;
  const auto model = dir / (GetParam() + ".onnx");
  edgeml::onnx::zoo_write(GetParam(), model);
  const auto input = seeded_input(3 * 224 * 224, 2024);

  const auto ort = run_on("ort", model, input);
  ASSERT_TRUE(ort.refusal.empty()) << "ONNX Runtime refused " << GetParam() << ": " << ort.refusal;
  ASSERT_EQ(ort.output.size(), 1000u);
  double scale = 0, mean = 0;
  for (float v : ort.output) {
    ASSERT_TRUE(std::isfinite(v));
    scale = std::max(scale, std::abs(static_cast<double>(v)));
    mean += v / 1000.0;
  }
  double spread = 0;
  for (float v : ort.output) spread = std::max(spread, std::abs(v - mean));
  ASSERT_GT(spread, 1e-6 * scale) << "constant output: the comparison would prove nothing";

  const auto cv = run_on("opencv", model, input);
  if (!cv.refusal.empty()) {
    EXPECT_NE(cv.refusal.find("OpenCV"), std::string::npos) << "refusal without a reason: " << cv.refusal;
    if (!kOpenCvMayRefuse.count(GetParam())) FAIL() << "OpenCV refused " << GetParam() << ": " << cv.refusal;
    GTEST_SKIP() << "OpenCV refused " << GetParam() << ": " << cv.refusal;
  }
  ASSERT_EQ(cv.output.size(), ort.output.size());
  double diff = 0;
  for (size_t i = 0; i < ort.output.size(); ++i)
    diff = std::max(diff, std::abs(static_cast<double>(cv.output[i]) - ort.output[i]));
  EXPECT_LT(diff / scale, kRelativeTolerance) << "max abs diff " << diff << " on outputs up to " << scale;
  for (const auto& a : cv.adjustments) RecordProperty("opencv_adjustment", a);
}

INSTANTIATE_TEST_SUITE_P(All, Zoo, ::testing::ValuesIn(edgeml::onnx::zoo_names()),
                         [](const auto& info) { return info.param; });
