#pragma once
// The two distributions an A/B comparison needs, computed here rather than pulled from a statistics package (Debian
// has none for C++ worth a dependency for two functions): the standard normal and Student's t, each as a CDF and a
// quantile. Student's t CDF goes through the regularized incomplete beta function (continued fraction, modified
// Lentz); quantiles invert the CDF by bisection to 1e-12. Tests compare them with published tables and with an
// independent numerical integration in Python.

namespace edgeml::abtest {

double normal_cdf(double x);
double normal_quantile(double p);  // p in (0, 1)

// Regularized incomplete beta I_x(a, b), x in [0, 1], a, b > 0.
double regularized_incomplete_beta(double x, double a, double b);

double student_t_cdf(double t, double df);       // df > 0 (need not be an integer: Welch's df is not)
double student_t_quantile(double p, double df);  // p in (0, 1)

}  // namespace edgeml::abtest
