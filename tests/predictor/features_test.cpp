#include "predictor/features.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/error.hpp"
#include "predictor/family.hpp"
#include "predictor/predict_request.hpp"

using namespace edgeml::predictor;

namespace {
Inputs resnet18() {
  Inputs in;
  in.params_m = 11.69;
  in.gflops = 3.64;
  in.gmacs = 1.82;
  in.size_mb = 44.7;
  in.latency_avg_s = 0.05;
  return in;
}
}  // namespace

TEST(PredictorFeatures, MeasuredLatencyVectorHasDerivedValues) {
  FeatureVector f;
  ASSERT_EQ(make_features(resnet18(), PredictorKind::measured, TimeInput::latency, f), 9u);
  const auto& names = feature_names(PredictorKind::measured, TimeInput::latency);
  ASSERT_EQ(names.size(), 9u);
  EXPECT_EQ(names[8], "gmacs_per_s");
  EXPECT_EQ(names[5], "throughput_iter_per_s");
  EXPECT_DOUBLE_EQ(f[0], 11.69);
  EXPECT_DOUBLE_EQ(f[4], 0.05);
  EXPECT_DOUBLE_EQ(f[5], 20.0);  // throughput not given: 1/latency, as the benchmark files define it
  EXPECT_DOUBLE_EQ(f[6], 11.69 / 3.64);
  EXPECT_DOUBLE_EQ(f[7], 0.05 * 44.7);
  EXPECT_DOUBLE_EQ(f[8], resnet18().gmacs.value() / 0.05);  // achieved GMAC/s on the device
}

TEST(PredictorFeatures, GivenThroughputIsUsedAsIs) {
  Inputs in = resnet18();
  in.throughput_iter_per_s = 19.5;
  FeatureVector f;
  make_features(in, PredictorKind::measured, TimeInput::latency, f);
  EXPECT_DOUBLE_EQ(f[5], 19.5);
}

TEST(PredictorFeatures, StaticVectorHasNoTime) {
  FeatureVector f;
  ASSERT_EQ(make_features(resnet18(), PredictorKind::static_only, TimeInput::latency, f), 5u);
  EXPECT_EQ(feature_names(PredictorKind::static_only, TimeInput::latency).back(), "params_per_gflop");
  EXPECT_DOUBLE_EQ(f[4], 11.69 / 3.64);
}

TEST(PredictorFeatures, DurationDeviceUsesRunDuration) {
  Inputs in = resnet18();
  in.duration_avg_s = 20.0;
  FeatureVector f;
  ASSERT_EQ(make_features(in, PredictorKind::measured, TimeInput::duration, f), 7u);
  EXPECT_DOUBLE_EQ(f[4], 20.0);
  EXPECT_DOUBLE_EQ(f[6], 20.0 * 44.7);
  Inputs no_duration = resnet18();
  try {
    make_features(no_duration, PredictorKind::measured, TimeInput::duration, f);
    FAIL() << "expected FieldError";
  } catch (const edgeml::FieldError& e) {
    EXPECT_EQ(e.field(), "duration_avg_s");
  }
}

TEST(PredictorFeatures, BadInputsNameTheField) {
  struct Case {
    const char* field;
    void (*mutate)(Inputs&);
  };
  const Case cases[] = {
      {"params_m", [](Inputs& in) { in.params_m.reset(); }},
      {"gflops", [](Inputs& in) { in.gflops = -1.0; }},
      {"gmacs", [](Inputs& in) { in.gmacs = std::numeric_limits<double>::quiet_NaN(); }},
      {"size_mb", [](Inputs& in) { in.size_mb = std::numeric_limits<double>::infinity(); }},
      {"latency_avg_s", [](Inputs& in) { in.latency_avg_s = 0.0; }},
      {"throughput_iter_per_s", [](Inputs& in) { in.throughput_iter_per_s = -3.0; }},
      {"duration_avg_s", [](Inputs& in) { in.duration_avg_s = std::numeric_limits<double>::quiet_NaN(); }},
  };
  for (const auto& c : cases) {
    Inputs in = resnet18();
    c.mutate(in);
    try {
      validate(in);
      ADD_FAILURE() << "no error for " << c.field;
    } catch (const edgeml::FieldError& e) {
      EXPECT_EQ(e.field(), c.field);
    }
  }
  EXPECT_NO_THROW(validate(resnet18()));
}

TEST(PredictorFamily, NamePrefixes) {
  EXPECT_EQ(family("mobilenetv3_small_100"), "mobilenetv3");
  EXPECT_EQ(family("mobilenetv3_large_100"), "mobilenetv3");
  EXPECT_EQ(family("mobilenetv2_050"), "mobilenetv2");
  EXPECT_EQ(family("resnet50"), "resnet");
  EXPECT_EQ(family("resnet50d"), "resnet");
  EXPECT_EQ(family("resnet18"), "resnet");
  EXPECT_EQ(family("vit_base_patch16_224"), "vit");
  EXPECT_EQ(family("vit_b_p16_r224_fp16"), "vit");
  EXPECT_EQ(family("efficientnet_b0"), "efficientnet");
  EXPECT_EQ(family("efficientnetv2_rw_s"), "efficientnetv2");
  EXPECT_EQ(family("tf_efficientnetv2_s"), "efficientnetv2");
  EXPECT_EQ(family("convnext_tiny"), "convnext");
  EXPECT_EQ(family("cspresnet50_w1.00_r224_fp16"), "cspresnet");
  EXPECT_EQ(family("densenet121"), "densenet");
  EXPECT_EQ(family("pnasnet5large"), "pnasnet");
  EXPECT_EQ(family("regnetx_002"), "regnetx");
  EXPECT_EQ(family("ResNet34"), "resnet");
  EXPECT_EQ(family("123abc"), "123abc");
}

TEST(PredictRequest, DeviceTypeFromItemBatchOrQueryAndDurationAsTimingInput) {
  using edgeml::predictor::parse_predict_request;
  const nlohmann::json m{{"params_m", 2}, {"gflops", 0.6}, {"gmacs", 0.3}, {"size_mb", 8}, {"duration_avg_s", 20}};
  auto one = parse_predict_request(m, "rpi5");
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_FALSE(one.batch);
  EXPECT_EQ(one.items[0].device_type, "rpi5");
  EXPECT_EQ(one.items[0].device_type_from, "query");
  EXPECT_EQ(*one.items[0].inputs.duration_avg_s, 20);
  nlohmann::json own = m;
  own["device_type"] = "jetson_nano";
  auto batch = parse_predict_request({{"models", {m, own}}, {"device_type", "rpi5"}}, "other");
  ASSERT_EQ(batch.items.size(), 2u);
  EXPECT_TRUE(batch.batch);
  EXPECT_EQ(batch.items[0].device_type, "rpi5");
  EXPECT_EQ(batch.items[0].device_type_from, "batch");
  EXPECT_EQ(batch.items[1].device_type, "jetson_nano");
  EXPECT_EQ(batch.items[1].device_type_from, "item");
  EXPECT_EQ(parse_predict_request(m).items[0].device_type, "");
  auto field_of = [](const nlohmann::json& body) {
    try {
      parse_predict_request(body);
    } catch (const edgeml::FieldError& e) {
      return e.field();
    }
    return std::string("(accepted)");
  };
  nlohmann::json bad = m;
  bad["duration_avg_s"] = -1;
  EXPECT_EQ(field_of(bad), "duration_avg_s");
  EXPECT_EQ(field_of({{"models", {m, bad}}}), "[1].duration_avg_s");
  EXPECT_EQ(field_of({{"models", {m}}, {"devce_type", "x"}}), "devce_type");
  nlohmann::json typo = m;
  typo["durtion_avg_s"] = 3;
  EXPECT_EQ(field_of(typo), "durtion_avg_s");
  EXPECT_EQ(field_of({{"models", nlohmann::json::array()}}), "body");
}
