#pragma once
// Request counts and latency histograms per route, in Prometheus text format. Routes are recorded by their readable
// pattern ("/api/deployments/:id"), never by the raw path, so label cardinality stays bounded.
#include <array>
#include <map>
#include <mutex>
#include <string>

namespace edgeml::http {

class RouteMetrics {
 public:
  explicit RouteMetrics(std::string prefix) : prefix_(std::move(prefix)) {}
  void record(const std::string& method, const std::string& route, int status, double seconds);
  // "<prefix>_http_requests_total{method,route,status}" and "<prefix>_http_request_duration_seconds" histogram.
  std::string prometheus_text() const;

 private:
  static constexpr std::array<double, 12> kBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                   0.01,   0.025,   0.05,   0.1,   0.5,    2.5};
  struct Histogram {
    std::array<unsigned long long, kBuckets.size()> buckets{};
    unsigned long long count = 0;
    double sum = 0;
  };
  std::string prefix_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, unsigned long long> counts_;
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
};

}  // namespace edgeml::http
