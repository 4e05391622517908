#pragma once
// A/B comparison of two models on a measured figure (energy per inference, latency): model A on one group (or in
// alternation on one device) against model B, like for like (same device type, same metric), with
//   - the difference of means B - A and its confidence interval by Welch's t (unequal variances), and optionally a
//     percentile bootstrap interval (seeded, so a run can be repeated);
//   - the samples per arm a two-sided Welch test needs to detect a given difference with a given power;
//   - a decision with its rule stated (see Verdict).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace edgeml::abtest {

struct Summary {
  size_t n = 0;
  double mean = 0, sd = 0;  // sd: sample standard deviation (n - 1)
};
// Throws FieldError(field) when fewer than 2 values or a value is not finite.
Summary summarize(const std::vector<double>& values, const std::string& field);

struct WelchInterval {
  double difference = 0;  // mean_b - mean_a
  double low = 0, high = 0;
  double confidence = 0.95;
  double se = 0;       // sqrt(sd_a^2/n_a + sd_b^2/n_b)
  double df = 0;       // Welch-Satterthwaite
  double t = 0;        // difference / se
  double p_value = 1;  // two-sided, H0: equal means
};
WelchInterval welch_interval(const Summary& a, const Summary& b, double confidence);

struct BootstrapInterval {
  double low = 0, high = 0;
  int resamples = 0;
  std::uint64_t seed = 0;
};
// Percentile bootstrap of mean_b - mean_a: each arm resampled with replacement, resamples times.
BootstrapInterval bootstrap_interval(const std::vector<double>& a, const std::vector<double>& b, double confidence,
                                     int resamples, std::uint64_t seed);

struct SampleSize {
  std::optional<long long> per_arm;
  std::string method;
  std::string unavailable_reason;  // when per_arm is empty
};
// Samples per arm (equal arms) for a two-sided Welch test at level alpha = 1 - confidence to detect |delta| with the
// given power: n = (t_{1-alpha/2, df} + t_{power, df})^2 (sd_a^2 + sd_b^2) / delta^2, with df = Welch's df for n
// per arm, iterated from the normal approximation until n is stable (at least 2).
SampleSize samples_per_arm(double sd_a, double sd_b, double delta, double confidence, double power);
// The normal approximation alone: ceil((z_{1-alpha/2} + z_power)^2 (sd_a^2 + sd_b^2) / delta^2).
long long samples_per_arm_normal(double sd_a, double sd_b, double delta, double confidence, double power);

struct Arm {
  std::string label;        // "A", "B"
  std::string model;        // the model the arm ran
  std::string device_type;  // like for like: both arms on the same device type
  std::vector<double> values;
};

struct ComparisonOptions {
  double confidence = 0.95;
  double power = 0.8;
  std::optional<double> min_difference;  // the smallest difference worth acting on, in the metric's unit
  bool lower_is_better = true;           // energy and latency: lower wins
  int bootstrap_resamples = 0;           // 0: no bootstrap
  std::uint64_t seed = 1;
};

// The decision, for a metric where lower is better (else the sides swap), in this order:
//   equivalent  min_difference given and the interval of B - A lies within (-min_difference, +min_difference): any
//               difference there is smaller than what matters, even when it is not 0
//   b_better    the interval lies entirely below 0
//   a_better    the interval lies entirely above 0
//   not_yet     otherwise; samples_needed says how many per arm would detect min_difference (or, without it, the
//               difference observed so far) with the power asked
enum class Verdict { a_better, b_better, equivalent, not_yet };
const char* to_string(Verdict v);

struct Comparison {
  std::string metric, unit;
  Arm a, b;  // values kept for the record
  Summary sa, sb;
  WelchInterval welch;
  std::optional<BootstrapInterval> bootstrap;
  ComparisonOptions options;
  Verdict verdict = Verdict::not_yet;
  std::string rule;         // the decision rule in words
  std::string explanation;  // this case in words
  SampleSize needed;
  long long more_a = 0, more_b = 0;  // further samples per arm, when needed.per_arm is known
};

// Throws FieldError: fewer than 2 values in an arm ("a" / "b"), arms on different device types ("device_type"),
// confidence or power outside (0, 1), min_difference <= 0.
Comparison compare_arms(const Arm& a, const Arm& b, const std::string& metric, const std::string& unit,
                        const ComparisonOptions& options = {});
nlohmann::json to_json(const Comparison& c);

}  // namespace edgeml::abtest
