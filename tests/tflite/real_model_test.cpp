// The seed's real TFLite model (../shared/data/mobilenetv3_small_075.tflite, facts in ../shared/notes/tflite.md):
// what the reader finds in it, and whether the translated graph classifies two real photos right on both runtimes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/files.hpp"
#include "onnx/inspector.hpp"
#include "runtime/runtime.hpp"
#include "tflite/describe.hpp"
#include "tflite/importer.hpp"
#include "tflite/reader.hpp"

namespace edgeml::tflite {
namespace {

const std::string kData = EDGEML_SHARED_DATA;
const std::string kModel = kData + "/mobilenetv3_small_075.tflite";

const std::string& model_bytes() {
  static const std::string bytes = read_file(kModel);
  return bytes;
}

TEST(TfliteRealModel, FactsMatchTheVerifiedNote) {
  const Model m = read_model(model_bytes());
  const ModelFacts f = describe(m);
  EXPECT_EQ(f.params, 2'037'032);
  EXPECT_EQ(f.macs, 43'399'344);
  EXPECT_EQ(m.operators.size(), 114u);
  EXPECT_EQ(f.ops.at("CONV_2D"), 43);
  EXPECT_EQ(f.ops.at("DEPTHWISE_CONV_2D"), 11);
  EXPECT_EQ(f.ops.at("HARD_SWISH"), 19);
  EXPECT_EQ(f.ops.at("MUL"), 19);
  EXPECT_EQ(f.ops.at("MEAN"), 10);
  EXPECT_EQ(f.ops.at("ADD"), 7);
  for (const char* op : {"SHAPE", "STRIDED_SLICE", "PACK", "RESHAPE", "SOFTMAX"}) EXPECT_EQ(f.ops.at(op), 1) << op;
  EXPECT_EQ(f.input_shape, (std::vector<int64_t>{1, 224, 224, 3}));
  EXPECT_EQ(f.input_type, "float32");
  EXPECT_EQ(f.output_shape, (std::vector<int64_t>{1, 1000}));
  EXPECT_TRUE(f.unsupported.empty());
  // 99.4% of the parameters are int8 (the note); the rest are float32 biases and the few float weights.
  EXPECT_NEAR(static_cast<double>(f.weight_types.at("int8")) / f.params, 0.994, 0.001);
}

TEST(TfliteRealModel, ImportsToAnOnnxGraphTheInspectorCountsTheSame) {
  const ImportResult r = import(model_bytes());
  EXPECT_EQ(r.input_shape, (std::vector<int64_t>{1, 224, 224, 3}));
  EXPECT_EQ(r.input_layout, "NHWC");
  EXPECT_EQ(r.output_shape, (std::vector<int64_t>{1, 1000}));
  EXPECT_EQ(r.convention, "raw_0_255") << r.convention_source;
  const onnx::InspectResult onnx = onnx::inspect_bytes(r.onnx);
  ASSERT_TRUE(onnx.graph_stats) << onnx.unavailable;
  EXPECT_EQ(onnx.macs, 43'399'344);
  EXPECT_EQ(onnx.params, 2'037'032);
  const ModelFacts f = describe(read_model(model_bytes()));
  EXPECT_NEAR(onnx.flops, f.flops, f.flops * 1e-9);
}

// The photo as the model takes it: RGB, resized (bilinear, squashed) to 224x224, raw 0..255 values, NHWC.
std::vector<float> photo_nhwc_raw(const std::string& name) {
  cv::Mat bgr = cv::imread(kData + "/" + name, cv::IMREAD_COLOR);
  EXPECT_FALSE(bgr.empty()) << name;
  cv::Mat resized, rgb;
  cv::resize(bgr, resized, cv::Size(224, 224), 0, 0, cv::INTER_LINEAR);
  cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
  std::vector<float> out;
  out.reserve(224 * 224 * 3);
  for (int y = 0; y < 224; ++y)
    for (int x = 0; x < 224; ++x)
      for (int c = 0; c < 3; ++c) out.push_back(rgb.at<cv::Vec3b>(y, x)[c]);
  return out;
}

std::vector<size_t> top(const std::vector<float>& v, size_t k) {
  std::vector<size_t> idx(v.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::partial_sort(idx.begin(), idx.begin() + static_cast<long>(k), idx.end(),
                    [&](size_t a, size_t b) { return v[a] > v[b]; });
  idx.resize(k);
  return idx;
}

class TfliteOnBackend : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<runtime::Runtime> load() {
    auto rt = runtime::make_runtime(GetParam());
    rt->load(kModel, {});
    return rt;
  }
};

TEST_P(TfliteOnBackend, DeclaresItsOwnLayoutAndConvention) {
  auto rt = load();
  EXPECT_EQ(rt->input().shape, (std::vector<int64_t>{1, 224, 224, 3}));
  const runtime::InputSpec spec = rt->input_spec();
  EXPECT_EQ(spec.layout, runtime::Layout::nhwc);
  EXPECT_EQ(spec.convention, runtime::Convention::raw_0_255);
  EXPECT_NE(spec.source.find("model graph"), std::string::npos) << spec.source;
}

TEST_P(TfliteOnBackend, TabbyCatIsACat) {
  auto out = load()->run(photo_nhwc_raw("chelsea.png"));
  ASSERT_EQ(out.size(), 1000u);
  const auto best = top(out, 3);
  std::printf("%s: chelsea.png top-3 %zu (p %.3f), %zu, %zu\n", GetParam().c_str(), best[0], out[best[0]], best[1],
              best[2]);
  EXPECT_EQ(best[0], 285u) << "p=" << out[best[0]];  // Egyptian cat
  EXPECT_GT(out[285], 0.6f);
  for (size_t c : best) EXPECT_TRUE(c >= 281 && c <= 285) << c;
}

TEST_P(TfliteOnBackend, EspressoIsEspresso) {
  auto out = load()->run(photo_nhwc_raw("coffee.png"));
  const auto best = top(out, 3);
  std::printf("%s: coffee.png top-3 %zu (p %.3f), %zu, %zu\n", GetParam().c_str(), best[0], out[best[0]], best[1],
              best[2]);
  EXPECT_EQ(best[0], 967u) << "p=" << out[best[0]];
  EXPECT_GT(out[967], 0.6f);
  for (size_t c : best) EXPECT_TRUE(c == 967 || c == 968 || c == 504) << c;
}

INSTANTIATE_TEST_SUITE_P(Backends, TfliteOnBackend, ::testing::ValuesIn(runtime::available_backends()));

TEST(TfliteRealModel, BothBackendsAgreeOnTheScores) {
  const auto backends = runtime::available_backends();
  if (backends.size() < 2) GTEST_SKIP() << "only one backend in this build";
  for (const char* photo : {"chelsea.png", "coffee.png"}) {
    const auto input = photo_nhwc_raw(photo);
    auto ort = runtime::make_runtime("ort"), cv = runtime::make_runtime("opencv");
    ort->load(kModel, {});
    cv->load(kModel, {});
    const auto a = ort->run(input), b = cv->run(input);
    ASSERT_EQ(a.size(), b.size());
    float worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    std::printf("%s: max |ORT - OpenCV| over 1000 probabilities = %.2e\n", photo, static_cast<double>(worst));
    EXPECT_LT(worst, 1e-4f) << photo;
  }
}

}  // namespace
}  // namespace edgeml::tflite
