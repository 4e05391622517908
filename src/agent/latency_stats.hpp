#pragma once
// Inference statistics: a count, and p50/p99 over the most recent latencies (a bounded window, so memory stays flat
// however long the agent runs), and the achieved rate since the window started.
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

namespace edgeml::agent {

class LatencyStats {
 public:
  explicit LatencyStats(size_t window = 1000) : window_(window) {}
  void reset(double now_s);
  void record(double latency_s, double now_s);
  void record_error(const std::string& message);
  // {"count", "errors", "latency_p50_s", "latency_p99_s", "latency_mean_s", "throughput_per_s", "since",
  //  "last_error"}; latency fields are null when nothing ran yet.
  nlohmann::json to_json(double now_s) const;
  std::uint64_t count() const;

 private:
  size_t window_;
  mutable std::mutex mu_;
  std::deque<double> recent_;
  std::uint64_t count_ = 0, errors_ = 0;
  double since_s_ = 0;
  std::optional<double> first_s_, last_s_;
  std::string last_error_;
};

// Nearest-rank percentile of unsorted values (p in 0..100); nullopt when empty.
std::optional<double> percentile(std::vector<double> values, double p);

}  // namespace edgeml::agent
