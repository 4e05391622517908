#include "abtest/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "abtest/distributions.hpp"
#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::abtest {

namespace {

using nlohmann::json;

void check_unit_interval(double v, const std::string& field) {
  if (!(v > 0 && v < 1)) throw FieldError(field, "'" + field + "' must be between 0 and 1 (exclusive)");
}

double welch_df(double va_n, double vb_n, double na, double nb) {
  double num = (va_n + vb_n) * (va_n + vb_n);
  double den = va_n * va_n / (na - 1) + vb_n * vb_n / (nb - 1);
  return den > 0 ? num / den : na + nb - 2;
}

double percentile(std::vector<double>& sorted, double q) {
  // Linear interpolation between order statistics (type 7, the common default).
  double pos = q * static_cast<double>(sorted.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::string num(double v) { return format_number(v, 6); }

}  // namespace

Summary summarize(const std::vector<double>& values, const std::string& field) {
  if (values.size() < 2)
    throw FieldError(field, "'" + field + "' needs at least 2 measurements, has " + std::to_string(values.size()));
  for (double v : values)
    if (!std::isfinite(v)) throw FieldError(field, "'" + field + "' holds a value that is not a finite number");
  Summary s;
  s.n = values.size();
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(s.n);
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / static_cast<double>(s.n - 1));
  return s;
}

WelchInterval welch_interval(const Summary& a, const Summary& b, double confidence) {
  check_unit_interval(confidence, "confidence");
  double na = static_cast<double>(a.n), nb = static_cast<double>(b.n);
  double va_n = a.sd * a.sd / na, vb_n = b.sd * b.sd / nb;
  WelchInterval w;
  w.confidence = confidence;
  w.difference = b.mean - a.mean;
  w.se = std::sqrt(va_n + vb_n);
  w.df = welch_df(va_n, vb_n, na, nb);
  if (w.se == 0) {  // both arms constant: the difference is exact
    w.low = w.high = w.difference;
    w.t = w.difference == 0 ? 0 : std::copysign(INFINITY, w.difference);
    w.p_value = w.difference == 0 ? 1 : 0;
    return w;
  }
  double q = student_t_quantile(0.5 + confidence / 2, w.df);
  w.low = w.difference - q * w.se;
  w.high = w.difference + q * w.se;
  w.t = w.difference / w.se;
  w.p_value = 2 * (1 - student_t_cdf(std::fabs(w.t), w.df));
  return w;
}

BootstrapInterval bootstrap_interval(const std::vector<double>& a, const std::vector<double>& b, double confidence,
                                     int resamples, std::uint64_t seed) {
  check_unit_interval(confidence, "confidence");
  if (resamples < 100 || resamples > 1'000'000)
    throw FieldError("bootstrap_resamples", "'bootstrap_resamples' must be 100 to 1000000");
  summarize(a, "a");
  summarize(b, "b");
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick_a(0, a.size() - 1), pick_b(0, b.size() - 1);
  std::vector<double> diffs(static_cast<size_t>(resamples));
  for (auto& d : diffs) {
    double sa = 0, sb = 0;
    for (size_t i = 0; i < a.size(); ++i) sa += a[pick_a(rng)];
    for (size_t i = 0; i < b.size(); ++i) sb += b[pick_b(rng)];
    d = sb / static_cast<double>(b.size()) - sa / static_cast<double>(a.size());
  }
  std::sort(diffs.begin(), diffs.end());
  double tail = (1 - confidence) / 2;
  return {percentile(diffs, tail), percentile(diffs, 1 - tail), resamples, seed};
}

long long samples_per_arm_normal(double sd_a, double sd_b, double delta, double confidence, double power) {
  check_unit_interval(confidence, "confidence");
  check_unit_interval(power, "power");
  double z = normal_quantile(0.5 + confidence / 2) + normal_quantile(power);
  return std::max<long long>(
      2, static_cast<long long>(std::ceil(z * z * (sd_a * sd_a + sd_b * sd_b) / (delta * delta) - 1e-9)));
}

SampleSize samples_per_arm(double sd_a, double sd_b, double delta, double confidence, double power) {
  SampleSize out;
  out.method = "Welch t, equal arms: n = (t(1-alpha/2, df) + t(power, df))^2 (sd_a^2 + sd_b^2) / delta^2, iterated";
  if (!(std::fabs(delta) > 0) || !std::isfinite(delta)) {
    out.unavailable_reason = "the difference to detect is 0: give min_difference";
    return out;
  }
  if (sd_a == 0 && sd_b == 0) {
    out.per_arm = 2;
    return out;
  }
  double va = sd_a * sd_a, vb = sd_b * sd_b;
  long long n = samples_per_arm_normal(sd_a, sd_b, delta, confidence, power);
  for (int i = 0; i < 100; ++i) {
    if (n > 100'000'000) {
      out.unavailable_reason = "more than 100,000,000 per arm: the difference is negligible against the spread";
      return out;
    }
    double df = static_cast<double>(n - 1) * (va + vb) * (va + vb) / (va * va + vb * vb);
    double q = student_t_quantile(0.5 + confidence / 2, df) + student_t_quantile(power, df);
    long long next =
        std::max<long long>(2, static_cast<long long>(std::ceil(q * q * (va + vb) / (delta * delta) - 1e-9)));
    if (next == n) break;
    n = next;
  }
  out.per_arm = n;
  return out;
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::a_better:
      return "a_better";
    case Verdict::b_better:
      return "b_better";
    case Verdict::equivalent:
      return "equivalent";
    case Verdict::not_yet:
      return "not_yet";
  }
  return "not_yet";
}

Comparison compare_arms(const Arm& a, const Arm& b, const std::string& metric, const std::string& unit,
                        const ComparisonOptions& o) {
  check_unit_interval(o.confidence, "confidence");
  check_unit_interval(o.power, "power");
  if (o.min_difference && !(*o.min_difference > 0 && std::isfinite(*o.min_difference)))
    throw FieldError("min_difference", "'min_difference' must be > 0, in " + unit);
  if (!a.device_type.empty() && !b.device_type.empty() && a.device_type != b.device_type)
    throw FieldError("device_type", "not like for like: A ran on " + a.device_type + ", B on " + b.device_type + "; " +
                                        metric + " is compared on one device type");
  Comparison c;
  c.metric = metric;
  c.unit = unit;
  c.a = a;
  c.b = b;
  c.options = o;
  c.sa = summarize(a.values, "a");
  c.sb = summarize(b.values, "b");
  c.welch = welch_interval(c.sa, c.sb, o.confidence);
  if (o.bootstrap_resamples > 0)
    c.bootstrap = bootstrap_interval(a.values, b.values, o.confidence, o.bootstrap_resamples, o.seed);

  const std::string level = format_number(o.confidence * 100, 2) + "%";
  const std::string lower = o.lower_is_better ? "lower" : "higher";
  c.rule = "The " + level + " Welch interval of mean(B) - mean(A): B is better when it lies entirely " +
           (o.lower_is_better ? "below" : "above") + " 0, A when entirely " + (o.lower_is_better ? "above" : "below") +
           " 0 (" + lower + " " + metric + " wins)" + "; otherwise not yet." +
           (o.min_difference ? " First, though: equivalent when it lies within +/-" + num(*o.min_difference) + " " +
                                   unit + " (a difference smaller than what matters, even if it is not 0)."
                             : "");
  const auto& w = c.welch;
  bool below = w.high<0, above = w.low> 0;
  std::string interval = "[" + num(w.low) + ", " + num(w.high) + "] " + unit;
  if (o.min_difference && w.low > -*o.min_difference && w.high < *o.min_difference) {
    c.verdict = Verdict::equivalent;
    c.explanation = "the " + level + " interval " + interval + " lies within +/-" + num(*o.min_difference) + " " +
                    unit + ": no difference worth acting on";
  } else if (below || above) {
    bool b_lower = below;
    c.verdict = (b_lower == o.lower_is_better) ? Verdict::b_better : Verdict::a_better;
    c.explanation = "mean(B) - mean(A) = " + num(w.difference) + " " + unit + ", " + level + " interval " + interval +
                    " excludes 0 (p = " + format_number(w.p_value, 6) + ")";
  } else {
    c.verdict = Verdict::not_yet;
    c.explanation = "the " + level + " interval " + interval + " includes 0";
  }
  if (c.verdict == Verdict::not_yet) {
    double delta = o.min_difference ? *o.min_difference : std::fabs(w.difference);
    c.needed = samples_per_arm(c.sa.sd, c.sb.sd, delta, o.confidence, o.power);
    if (c.needed.per_arm) {
      c.more_a = std::max<long long>(0, *c.needed.per_arm - static_cast<long long>(c.sa.n));
      c.more_b = std::max<long long>(0, *c.needed.per_arm - static_cast<long long>(c.sb.n));
    }
  }
  return c;
}

json to_json(const Comparison& c) {
  auto arm = [&](const Arm& a, const Summary& s) {
    return json{{"label", a.label}, {"model", a.model}, {"device_type", a.device_type},
                {"n", s.n},         {"mean", s.mean},   {"sd", s.sd}};
  };
  json out{{"metric", c.metric},
           {"unit", c.unit},
           {"a", arm(c.a, c.sa)},
           {"b", arm(c.b, c.sb)},
           {"difference",
            {{"b_minus_a", c.welch.difference},
             {"relative_pct", c.sa.mean != 0 ? json(100 * c.welch.difference / c.sa.mean) : json(nullptr)},
             {"confidence", c.welch.confidence},
             {"ci_low", c.welch.low},
             {"ci_high", c.welch.high},
             {"method", "Welch t"},
             {"se", c.welch.se},
             {"df", c.welch.df},
             {"t", std::isfinite(c.welch.t) ? json(c.welch.t) : json(nullptr)},
             {"p_value", c.welch.p_value}}},
           {"verdict", to_string(c.verdict)},
           {"rule", c.rule},
           {"explanation", c.explanation},
           {"power", c.options.power},
           {"min_difference", c.options.min_difference ? json(*c.options.min_difference) : json(nullptr)}};
  if (c.bootstrap)
    out["bootstrap"] = {{"ci_low", c.bootstrap->low},
                        {"ci_high", c.bootstrap->high},
                        {"resamples", c.bootstrap->resamples},
                        {"seed", c.bootstrap->seed},
                        {"method", "percentile bootstrap"}};
  if (c.verdict == Verdict::not_yet) {
    out["samples_needed_per_arm"] = c.needed.per_arm ? json(*c.needed.per_arm) : json(nullptr);
    out["more_samples"] = {{"a", c.more_a}, {"b", c.more_b}};
    out["samples_method"] = c.needed.method;
    if (!c.needed.per_arm) out["samples_unavailable"] = c.needed.unavailable_reason;
  }
  return out;
}

}  // namespace edgeml::abtest
