#include "http/route_metrics.hpp"

#include "common/prometheus_text.hpp"

namespace edgeml::http {

void RouteMetrics::record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++counts_[{method, route, status}];
  auto& h = durations_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string RouteMetrics::prometheus_text() const {
  std::lock_guard lock(mu_);
  PromText out;
  const std::string requests = prefix_ + "_http_requests_total";
  out.family(requests, "HTTP requests by route and status.", "counter");
  for (const auto& [key, n] : counts_) {
    const auto& [method, route, status] = key;
    out.sample(requests, {{"method", method}, {"route", route}, {"status", std::to_string(status)}},
               static_cast<double>(n));
  }
  const std::string duration = prefix_ + "_http_request_duration_seconds";
  out.family(duration, "Time to answer, by route.", "histogram");
  for (const auto& [key, h] : durations_) {
    const auto& [method, route] = key;
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out.sample(duration + "_bucket", {{"method", method}, {"route", route}, {"le", prom_number(kBuckets[i])}},
                 static_cast<double>(h.buckets[i]));
    out.sample(duration + "_bucket", {{"method", method}, {"route", route}, {"le", "+Inf"}},
               static_cast<double>(h.count));
    out.sample(duration + "_sum", {{"method", method}, {"route", route}}, h.sum);
    out.sample(duration + "_count", {{"method", method}, {"route", route}}, static_cast<double>(h.count));
  }
  return out.str();
}

}  // namespace edgeml::http
