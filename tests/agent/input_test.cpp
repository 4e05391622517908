// Images fed in the model's own layout and pixel convention: the conversion itself on a one-colour picture, the
// seed's TFLite model classifying a real photo through the agent's own path (ModelHost + tensor_from_body), and a
// deploy request's `preprocess` parsed, stored beside the model and applied.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "agent/deploy_job.hpp"
#include "agent/model_host.hpp"
#include "agent/model_store.hpp"
#include "agent/tensor_input.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

namespace edgeml::agent {
namespace {

namespace fs = std::filesystem;
using runtime::Convention;
using runtime::InputSpec;
using runtime::Layout;

std::string one_colour_png(int r, int g, int b) {
  cv::Mat img(6, 5, CV_8UC3, cv::Scalar(b, g, r));  // OpenCV is BGR
  std::vector<uchar> out;
  cv::imencode(".png", img, out);
  return std::string(out.begin(), out.end());
}

TEST(ImageInput, NhwcRawKeepsPixelValuesInterleaved) {
  TensorShape shape{"x", {1, 4, 4, 3}, 48};
  auto in =
      tensor_from_body("image/png", one_colour_png(255, 0, 128), shape, {Layout::nhwc, Convention::raw_0_255, "t"});
  ASSERT_EQ(in.values.size(), 48u);
  for (size_t i = 0; i < 48; i += 3) {
    EXPECT_FLOAT_EQ(in.values[i], 255.0f);
    EXPECT_FLOAT_EQ(in.values[i + 1], 0.0f);
    EXPECT_FLOAT_EQ(in.values[i + 2], 128.0f);
  }
}

TEST(ImageInput, NchwImagenetWritesNormalisedPlanes) {
  TensorShape shape{"x", {1, 3, 2, 2}, 12};
  auto in = tensor_from_body("image/png", one_colour_png(255, 0, 128), shape,
                             {Layout::nchw, Convention::imagenet_mean_std, "t"});
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(in.values[static_cast<size_t>(k)], (1.0f - 0.485f) / 0.229f, 1e-5);
    EXPECT_NEAR(in.values[static_cast<size_t>(4 + k)], (0.0f - 0.456f) / 0.224f, 1e-5);
    EXPECT_NEAR(in.values[static_cast<size_t>(8 + k)], (128.0f / 255 - 0.406f) / 0.225f, 1e-5);
  }
}

TEST(ImageInput, OtherConventionsAndTheLegacyOverride) {
  TensorShape shape{"x", {1, 1, 1, 3}, 3};
  const std::string png = one_colour_png(255, 0, 51);
  auto minus = tensor_from_body("image/png", png, shape, {Layout::nhwc, Convention::minus1_1, "t"});
  EXPECT_FLOAT_EQ(minus.values[0], 1.0f);
  EXPECT_FLOAT_EQ(minus.values[1], -1.0f);
  auto none = tensor_from_body("image/png", png, shape, {Layout::nhwc, Convention::raw_0_255, "t"}, "none");
  EXPECT_FLOAT_EQ(none.values[2], 0.2f);
  EXPECT_EQ(none.used.convention, Convention::unit_0_1);
  EXPECT_EQ(none.used.source, "request (normalize=none)");
  EXPECT_THROW(tensor_from_body("image/png", png, {"x", {1, 10}, 10}, {Layout::flat, Convention::raw_0_255, "t"}),
               FieldError);
}

const std::string kTflite = std::string(EDGEML_SHARED_DATA) + "/mobilenetv3_small_075.tflite";

ModelRef tflite_ref(const std::string& preprocess = "") {
  ModelRef ref;
  ref.name = "mnv3";
  ref.sha256 = sha256_file(kTflite);
  ref.format = "tflite";
  ref.preprocess = preprocess;
  return ref;
}

TEST(ImageInput, SeedTfliteModelNamesTheCatThroughTheAgentPath) {
  for (const auto& backend : ModelHost::backends()) {
    ModelHost host(backend, 1);
    host.swap_in(host.prepare(tflite_ref(), kTflite), 0);
    const auto active = *host.active();
    EXPECT_EQ(active.input_spec.layout, Layout::nhwc);
    EXPECT_EQ(active.input_spec.convention, Convention::raw_0_255);
    EXPECT_EQ(input_spec_json(active)["layout"], "NHWC");
    auto input = tensor_from_body("image/png", read_file(std::string(EDGEML_SHARED_DATA) + "/chelsea.png"),
                                  active.input, active.input_spec);
    const auto top = top_k(host.run(input.values).output, 1);
    EXPECT_EQ(top[0].index, 285u) << backend << " p=" << top[0].value;
  }
}

TEST(ImageInput, DeployRequestPreprocessOverridesTheModel) {
  ModelHost host("auto", 1);
  host.swap_in(host.prepare(tflite_ref("imagenet_mean_std"), kTflite), 0);
  EXPECT_EQ(host.active()->input_spec.convention, Convention::imagenet_mean_std);
  EXPECT_EQ(host.active()->input_spec.source, "deploy request (preprocess)");
}

TEST(DeployPreprocess, ParsedValidatedAndStoredBesideTheModel) {
  nlohmann::json body = {{"model_name", "m"},
                         {"model_url", "http://127.0.0.1:1/m.tflite"},
                         {"sha256", std::string(64, 'a')},
                         {"size", 10},
                         {"preprocess", "minus1_1"}};
  EXPECT_EQ(parse_deploy_request(body).preprocess, "minus1_1");
  body["preprocess"] = "zero_to_one";
  try {
    parse_deploy_request(body);
    FAIL() << "accepted";
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "preprocess");
  }

  const fs::path dir = fs::temp_directory_path() / ("edgeml_input_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    ModelStore store(dir, StoreLimits{});
    ModelRef ref = tflite_ref();
    fs::create_directories(dir / "models" / ref.name);
    fs::copy_file(kTflite, store.path_of(ref));
    store.set_preprocess(ref, "unit_0_1");
    EXPECT_EQ(store.find(ref.name, ref.sha256)->preprocess, "unit_0_1");  // survives: read back from the store
    EXPECT_EQ(store.list().size(), 1u);                                   // the side file is not a model
    EXPECT_EQ(model_ref_from_json(to_json(ref)).preprocess, "unit_0_1");  // and from the agent state
    store.set_preprocess(ref, "");
    EXPECT_EQ(store.find(ref.name, ref.sha256)->preprocess, "");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace edgeml::agent
