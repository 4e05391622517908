#include "predictor/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace edgeml::predictor {

namespace {

// Ranks 1..n, ties sharing their mean rank.
std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    for (size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * static_cast<double>(i + j) + 1.0;
    i = j + 1;
  }
  return r;
}

}  // namespace

double spearman_correlation(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) return 0;
  const auto ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size()), mean = (n + 1) / 2;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) * (ra[i] - mean);
    sbb += (rb[i] - mean) * (rb[i] - mean);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
}

Metrics compute_metrics(const std::vector<double>& actual, const std::vector<double>& predicted) {
  if (actual.size() != predicted.size() || actual.empty())
    throw std::invalid_argument("compute_metrics: need equal, non-empty vectors");
  const size_t n = actual.size();
  double mean = 0;
  for (double a : actual) mean += a;
  mean /= n;
  double ss_res = 0, ss_tot = 0, abs_sum = 0, ape_sum = 0;
  size_t in10 = 0, in20 = 0;
  std::vector<double> ape(n);
  for (size_t i = 0; i < n; ++i) {
    const double err = predicted[i] - actual[i];
    ss_res += err * err;
    ss_tot += (actual[i] - mean) * (actual[i] - mean);
    abs_sum += std::fabs(err);
    ape[i] = std::fabs(err) / std::fabs(actual[i]) * 100.0;
    ape_sum += ape[i];
    in10 += ape[i] <= 10.0;
    in20 += ape[i] <= 20.0;
  }
  std::sort(ape.begin(), ape.end());
  Metrics m;
  m.n = n;
  m.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : 0.0;
  m.mae_mwh = abs_sum / n;
  m.mape_pct = ape_sum / n;
  m.median_ape_pct = n % 2 ? ape[n / 2] : 0.5 * (ape[n / 2 - 1] + ape[n / 2]);
  m.within_10_pct = 100.0 * in10 / n;
  m.within_20_pct = 100.0 * in20 / n;
  m.spearman = spearman_correlation(actual, predicted);
  return m;
}

Metrics mean_metrics(const std::vector<Metrics>& runs) {
  Metrics m;
  if (runs.empty()) return m;
  for (const auto& r : runs) {
    m.r2 += r.r2;
    m.mae_mwh += r.mae_mwh;
    m.mape_pct += r.mape_pct;
    m.median_ape_pct += r.median_ape_pct;
    m.within_10_pct += r.within_10_pct;
    m.within_20_pct += r.within_20_pct;
    m.spearman += r.spearman;
  }
  const double k = static_cast<double>(runs.size());
  m.r2 /= k;
  m.mae_mwh /= k;
  m.mape_pct /= k;
  m.median_ape_pct /= k;
  m.within_10_pct /= k;
  m.within_20_pct /= k;
  m.spearman /= k;
  m.n = runs.front().n;
  return m;
}

nlohmann::json to_json(const Metrics& m) {
  return {{"r2", m.r2},
          {"mae_mwh", m.mae_mwh},
          {"mape_pct", m.mape_pct},
          {"median_ape_pct", m.median_ape_pct},
          {"within_10_pct", m.within_10_pct},
          {"within_20_pct", m.within_20_pct},
          {"spearman", m.spearman},
          {"n", m.n}};
}

Metrics metrics_from_json(const nlohmann::json& j) {
  Metrics m;
  m.r2 = j.at("r2").get<double>();
  m.mae_mwh = j.at("mae_mwh").get<double>();
  m.mape_pct = j.at("mape_pct").get<double>();
  m.median_ape_pct = j.at("median_ape_pct").get<double>();
  m.within_10_pct = j.at("within_10_pct").get<double>();
  m.within_20_pct = j.at("within_20_pct").get<double>();
  m.spearman = j.at("spearman").get<double>();
  m.n = j.at("n").get<size_t>();
  return m;
}

}  // namespace edgeml::predictor
