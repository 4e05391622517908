// A/B statistics against independent references: published t and z table values, and a Python script
// (reference.py: the statistics module, Student's t by numerical integration) for Welch's interval, its p-value and
// the samples per arm. Then the decision rule on real-looking energy measurements, and the bootstrap.
#include "abtest/comparison.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "abtest/distributions.hpp"
#include "common/error.hpp"

namespace edgeml::abtest {
namespace {

using nlohmann::json;

json reference(const json& request) {
  std::string path = "/tmp/edgeml-abtest-" + std::to_string(::getpid()) + ".json";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::string s = request.dump();
    std::fwrite(s.data(), 1, s.size(), f);
    std::fclose(f);
  }
  std::string cmd = std::string(EDGEML_PYTHON3) + " " + EDGEML_SOURCE_DIR + "/tests/abtest/reference.py < " + path;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(::pclose(p), 0) << cmd;
  std::remove(path.c_str());
  return json::parse(out);
}

// Energy per inference (mJ) of two variants on one device type, as an agent's telemetry reports them.
const std::vector<double> kA = {41.2, 40.7, 42.9, 39.8, 41.5, 43.1, 40.2, 41.9, 42.4, 40.9, 41.7, 42.2};
const std::vector<double> kB = {38.1, 36.9, 40.2, 37.5, 39.4, 35.8, 38.8, 37.2, 39.9};

TEST(Distributions, MatchPublishedTableValues) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-9);
  EXPECT_NEAR(normal_quantile(0.8), 0.8416212335729143, 1e-9);
  EXPECT_NEAR(normal_cdf(1.959963984540054), 0.975, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736174698, 1e-7);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.228138851986274, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.95, 5), 2.015048372669157, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.995, 3), 5.840909309733350, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.228138851986274, 1e-9);
  EXPECT_NEAR(student_t_cdf(0, 7.3), 0.5, 1e-15);
  EXPECT_THROW(student_t_quantile(1.0, 3), FieldError);
  EXPECT_THROW(student_t_cdf(1, 0), FieldError);
}

TEST(Distributions, MatchNumericalIntegrationAtFractionalDegreesOfFreedom) {
  json req = {{"t_quantiles", {{0.975, 2.5}, {0.9, 7.3}, {0.8, 15.71}, {0.999, 4.2}, {0.6, 60.5}}}};
  json ref = reference(req);
  for (size_t i = 0; i < req["t_quantiles"].size(); ++i) {
    double p = req["t_quantiles"][i][0], df = req["t_quantiles"][i][1];
    EXPECT_NEAR(student_t_quantile(p, df), ref["t_quantiles"][i].get<double>(), 1e-7) << p << " " << df;
  }
}

TEST(WelchInterval, MatchesTheIndependentReference) {
  for (double confidence : {0.95, 0.9, 0.99}) {
    json ref = reference({{"a", kA}, {"b", kB}, {"confidence", confidence}});
    WelchInterval w = welch_interval(summarize(kA, "a"), summarize(kB, "b"), confidence);
    EXPECT_NEAR(w.difference, ref["difference"].get<double>(), 1e-12);
    EXPECT_NEAR(w.se, ref["se"].get<double>(), 1e-12);
    EXPECT_NEAR(w.df, ref["df"].get<double>(), 1e-9);
    EXPECT_NEAR(w.low, ref["low"].get<double>(), 1e-7);
    EXPECT_NEAR(w.high, ref["high"].get<double>(), 1e-7);
    EXPECT_NEAR(w.t, ref["t"].get<double>(), 1e-9);
    EXPECT_NEAR(w.p_value, ref["p_value"].get<double>(), 1e-7);
  }
  Summary a = summarize(kA, "a");
  json ref = reference({{"a", kA}, {"b", kB}, {"confidence", 0.95}});
  EXPECT_NEAR(a.sd, ref["sd_a"].get<double>(), 1e-12);
  EXPECT_NEAR(a.mean, ref["mean_a"].get<double>(), 1e-12);
}

TEST(SamplesPerArm, MatchTheIndependentReference) {
  for (auto [sd_a, sd_b, delta, power] : std::vector<std::tuple<double, double, double, double>>{
           {1.0, 1.0, 0.5, 0.8}, {1.04, 1.43, 0.8, 0.8}, {2.0, 0.5, 1.0, 0.9}, {5.0, 7.0, 1.5, 0.8}}) {
    json ref = reference({{"sd_a", sd_a}, {"sd_b", sd_b}, {"delta", delta}, {"confidence", 0.95}, {"power", power}});
    EXPECT_EQ(samples_per_arm_normal(sd_a, sd_b, delta, 0.95, power), ref["n_normal"].get<long long>());
    SampleSize n = samples_per_arm(sd_a, sd_b, delta, 0.95, power);
    ASSERT_TRUE(n.per_arm);
    EXPECT_EQ(*n.per_arm, ref["n_t"].get<long long>());
  }
  // The textbook case: sd 1 per arm, difference 0.5, 5% two-sided, 80% power -> 63 by the normal formula
  // (2 * (1.95996 + 0.84162)^2 / 0.25 = 62.79), a little more with t quantiles.
  EXPECT_EQ(samples_per_arm_normal(1, 1, 0.5, 0.95, 0.8), 63);
  EXPECT_EQ(*samples_per_arm(1, 1, 0.5, 0.95, 0.8).per_arm, 64);
  EXPECT_FALSE(samples_per_arm(1, 1, 0, 0.95, 0.8).per_arm);
}

TEST(AbComparison, AClearDifferenceDecidesForTheLowerEnergyArm) {
  Comparison c = compare_arms({"A", "resnet18", "jetson_nano", kA}, {"B", "mobilenet_v3", "jetson_nano", kB},
                              "energy_per_inference_mj", "mJ");
  EXPECT_EQ(c.verdict, Verdict::b_better);  // B uses about 3.3 mJ less per inference
  EXPECT_LT(c.welch.high, 0);
  json j = to_json(c);
  EXPECT_EQ(j["verdict"], "b_better");
  EXPECT_EQ(j["a"]["n"], 12);
  EXPECT_EQ(j["difference"]["method"], "Welch t");
  EXPECT_NEAR(j["difference"]["relative_pct"].get<double>(), 100 * c.welch.difference / c.sa.mean, 1e-12);
  EXPECT_FALSE(j.contains("samples_needed_per_arm"));
  EXPECT_NE(c.rule.find("entirely below 0"), std::string::npos) << c.rule;
  // For throughput, higher wins: the same data decides for A.
  ComparisonOptions higher;
  higher.lower_is_better = false;
  EXPECT_EQ(compare_arms({"A", "", "", kA}, {"B", "", "", kB}, "throughput", "1/s", higher).verdict, Verdict::a_better);
}

TEST(AbComparison, TooFewSamplesSaysHowManyMoreEachArmNeeds) {
  std::vector<double> a = {41.2, 40.7, 42.9, 39.8}, b = {40.1, 41.9, 39.5, 41.0};
  ComparisonOptions o;
  o.min_difference = 1.0;  // 1 mJ is worth acting on
  Comparison c = compare_arms({"A", "", "rpi5", a}, {"B", "", "rpi5", b}, "energy_per_inference_mj", "mJ", o);
  EXPECT_EQ(c.verdict, Verdict::not_yet);
  ASSERT_TRUE(c.needed.per_arm);
  SampleSize expected = samples_per_arm(c.sa.sd, c.sb.sd, 1.0, 0.95, 0.8);
  EXPECT_EQ(*c.needed.per_arm, *expected.per_arm);
  EXPECT_EQ(c.more_a, *expected.per_arm - 4);
  EXPECT_EQ(c.more_b, *expected.per_arm - 4);
  json j = to_json(c);
  EXPECT_EQ(j["verdict"], "not_yet");
  EXPECT_EQ(j["more_samples"]["a"], c.more_a);
  // With enough agreement the same question is answered "equivalent".
  std::vector<double> a2, b2;
  for (int i = 0; i < 200; ++i) {
    a2.push_back(40 + 0.3 * ((i * 7) % 11 - 5) / 5.0);
    b2.push_back(40.05 + 0.3 * ((i * 5) % 11 - 5) / 5.0);
  }
  EXPECT_EQ(compare_arms({"A", "", "rpi5", a2}, {"B", "", "rpi5", b2}, "energy_per_inference_mj", "mJ", o).verdict,
            Verdict::equivalent);
}

TEST(AbComparison, OnlyLikeForLikeAndEnoughMeasurements) {
  auto field = [](const Arm& a, const Arm& b, ComparisonOptions o = {}) -> std::string {
    try {
      compare_arms(a, b, "energy_per_inference_mj", "mJ", o);
    } catch (const FieldError& e) {
      return e.field();
    }
    return "";
  };
  EXPECT_EQ(field({"A", "", "jetson_nano", kA}, {"B", "", "rpi5", kB}), "device_type");
  EXPECT_EQ(field({"A", "", "", {41.0}}, {"B", "", "", kB}), "a");
  EXPECT_EQ(field({"A", "", "", kA}, {"B", "", "", {1.0, NAN}}), "b");
  ComparisonOptions bad;
  bad.confidence = 1.0;
  EXPECT_EQ(field({"A", "", "", kA}, {"B", "", "", kB}, bad), "confidence");
  bad = {};
  bad.min_difference = -1;
  EXPECT_EQ(field({"A", "", "", kA}, {"B", "", "", kB}, bad), "min_difference");
}

TEST(AbComparison, TheBootstrapIsSeededAndAgreesWithWelchOnTheseData) {
  ComparisonOptions o;
  o.bootstrap_resamples = 20000;
  o.seed = 42;
  Comparison c1 = compare_arms({"A", "", "", kA}, {"B", "", "", kB}, "energy_per_inference_mj", "mJ", o);
  Comparison c2 = compare_arms({"A", "", "", kA}, {"B", "", "", kB}, "energy_per_inference_mj", "mJ", o);
  ASSERT_TRUE(c1.bootstrap);
  EXPECT_EQ(c1.bootstrap->low, c2.bootstrap->low);  // same seed, same interval
  // The percentile bootstrap is a little narrower than Welch's t on 9 and 12 values; both well below 0.
  EXPECT_NEAR(c1.bootstrap->low, c1.welch.low, 0.5);
  EXPECT_NEAR(c1.bootstrap->high, c1.welch.high, 0.5);
  EXPECT_LT(c1.bootstrap->high, 0);
  o.seed = 43;
  EXPECT_NE(compare_arms({"A", "", "", kA}, {"B", "", "", kB}, "e", "mJ", o).bootstrap->low, c1.bootstrap->low);
}

}  // namespace
}  // namespace edgeml::abtest
