#include "abtest/distributions.hpp"

#include <cmath>
#include <limits>

#include "common/error.hpp"

namespace edgeml::abtest {

namespace {

// Continued fraction of I_x(a, b) (modified Lentz), valid for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double x, double a, double b) {
  const double tiny = 1e-300, eps = 1e-15;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    double m2 = 2.0 * m;
    double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < eps) return h;
  }
  return h;  // converged to double precision long before for the df an A/B test has
}

template <class F>
double invert_increasing(F cdf, double p, double lo, double hi) {
  while (cdf(lo) > p) lo *= 2;
  while (cdf(hi) < p) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, std::fabs(lo)); ++i) {
    double mid = 0.5 * (lo + hi);
    (cdf(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

void check_probability(double p) {
  if (!(p > 0 && p < 1)) throw FieldError("p", "a probability must be in (0, 1)");
}

}  // namespace

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normal_quantile(double p) {
  check_probability(p);
  return invert_increasing(normal_cdf, p, -1, 1);
}

double regularized_incomplete_beta(double x, double a, double b) {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) throw FieldError("x", "incomplete beta needs x in [0, 1], a, b > 0");
  if (x == 0 || x == 1) return x;
  double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(x, a, b) / a;
  return 1 - front * beta_continued_fraction(1 - x, b, a) / b;  // symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
}

double student_t_cdf(double t, double df) {
  if (!(df > 0)) throw FieldError("df", "degrees of freedom must be > 0");
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  double tail = 0.5 * regularized_incomplete_beta(df / (df + t * t), df / 2, 0.5);  // P(T > |t|)
  return t > 0 ? 1 - tail : tail;
}

double student_t_quantile(double p, double df) {
  check_probability(p);
  if (!(df > 0)) throw FieldError("df", "degrees of freedom must be > 0");
  return invert_increasing([df](double t) { return student_t_cdf(t, df); }, p, -1, 1);
}

}  // namespace edgeml::abtest
