// POST /api/predict-energy with the original body, through HTTP, against predictors trained on the real files.
#include <gtest/gtest.h>

#include "controller_fixture.hpp"

using namespace edgeml::testing;

namespace {
// mobilenetv3_large_100 as measured on the Jetson Nano (a clean row of the real file).
const char* kMeasured =
    R"({"params_m": 5.48, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21.11, "latency_avg_s": 0.0288,
        "throughput_iter_per_s": 34.7, "device_type": "jetson_nano"})";
const char* kStatic = R"({"params_m": 5.48, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21.11})";
}  // namespace

TEST(ControllerPredict, MeasuredWhenLatencyGivenWithIntervalAndMetadata) {
  auto r = post_json("/api/predict-energy", kMeasured);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["predictor"], "measured");
  EXPECT_EQ(r.body["device_type"], "jetson_nano");
  double p = r.body["prediction_mwh"];
  EXPECT_GT(p, 0);
  ASSERT_EQ(r.body["confidence_interval"].size(), 2u);
  EXPECT_LE(r.body["confidence_interval"][0].get<double>(), p);
  EXPECT_GE(r.body["confidence_interval"][1].get<double>(), p);
  EXPECT_NEAR(r.body["coverage"].get<double>(), 0.9, 1e-9);
  for (const char* f :
       {"features_used", "model_r2", "cv_mape", "energy_per_inference_mj", "iterations_per_measurement", "unit"})
    EXPECT_TRUE(r.body.contains(f)) << f;
  // Energy of one run of N inferences at a plausible board power: between 1 and 12 W over latency x N.
  double n = r.body["iterations_per_measurement"];
  double watts = p * 3.6 / (0.0288 * n);
  EXPECT_GT(watts, 1.0);
  EXPECT_LT(watts, 12.0);
}

TEST(ControllerPredict, StaticWhenNoLatency) {
  auto r = post_json("/api/predict-energy", kStatic);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["predictor"], "static");
  EXPECT_GT(r.body["prediction_mwh"].get<double>(), 0);
}

TEST(ControllerPredict, ListAndModelsWrapperGiveListOfAnswers) {
  auto a = post_json("/api/predict-energy", std::string("[") + kMeasured + "," + kStatic + "]");
  ASSERT_EQ(a.status, 200) << a.raw;
  ASSERT_EQ(a.body["predictions"].size(), 2u);
  EXPECT_EQ(a.body["predictions"][0]["predictor"], "measured");
  EXPECT_EQ(a.body["predictions"][1]["predictor"], "static");
  auto b = post_json("/api/predict-energy", std::string(R"({"models": [)") + kStatic + "]}");
  ASSERT_EQ(b.status, 200) << b.raw;
  EXPECT_EQ(b.body["count"], 1);
}

TEST(ControllerPredict, BadFieldsAreNamed) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"({"gflops": 0.44, "gmacs": 0.22, "size_mb": 21})", "params_m"},
      {R"({"params_m": "5", "gflops": 0.44, "gmacs": 0.22, "size_mb": 21})", "params_m"},
      {R"({"params_m": -5, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21})", "params_m"},
      {R"({"params_m": 5, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21, "latency_avg_s": 0})", "latency_avg_s"},
      {R"({"params_m": 5, "gflops": 0.44, "gmacs": 0.22, "size_mb": 1e400})", "body"},
      {R"([{"params_m": 5, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21}, {"params_m": 5}])", "[1].gflops"},
      {R"([])", "body"},
  };
  for (const auto& c : cases) {
    auto r = post_json("/api/predict-energy", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.raw;
    EXPECT_EQ(r.body["field"], c.field) << c.body << " -> " << r.raw;
  }
  auto unknown = post_json("/api/predict-energy", R"({"params_m": 5, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21,
                                                       "device_type": "toaster"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["field"], "device_type");
}
