#include "http/route_metrics.hpp"

#include <sstream>

#include "common/strings.hpp"

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
  std::ostringstream out;
  out << "# HELP " << prefix_ << "_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE " << prefix_ << "_http_requests_total counter\n";
  for (const auto& [key, n] : counts_) {
    const auto& [method, route, status] = key;
    out << prefix_ << "_http_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\"" << status
        << "\"} " << n << "\n";
  }
  out << "# HELP " << prefix_ << "_http_request_duration_seconds Time to answer, by route.\n"
      << "# TYPE " << prefix_ << "_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : durations_) {
    const auto& [method, route] = key;
    std::string labels = "method=\"" + method + "\",route=\"" + route + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out << prefix_ << "_http_request_duration_seconds_bucket{" << labels << ",le=\"" << format_number(kBuckets[i], 6)
          << "\"} " << h.buckets[i] << "\n";
    out << prefix_ << "_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
    out << prefix_ << "_http_request_duration_seconds_sum{" << labels << "} " << format_number(h.sum, 9) << "\n";
    out << prefix_ << "_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  return out.str();
}

}  // namespace edgeml::http
