#include "agent/latency_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace edgeml::agent {

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

void LatencyStats::reset(double now_s) {
  std::lock_guard lock(mu_);
  recent_.clear();
  count_ = errors_ = 0;
  since_s_ = now_s;
  first_s_.reset();
  last_s_.reset();
  last_error_.clear();
}

void LatencyStats::record(double latency_s, double now_s) {
  std::lock_guard lock(mu_);
  recent_.push_back(latency_s);
  if (recent_.size() > window_) recent_.pop_front();
  ++count_;
  if (!first_s_) first_s_ = now_s;
  last_s_ = now_s;
}

void LatencyStats::record_error(const std::string& message) {
  std::lock_guard lock(mu_);
  ++errors_;
  last_error_ = message;
}

std::uint64_t LatencyStats::count() const {
  std::lock_guard lock(mu_);
  return count_;
}

nlohmann::json LatencyStats::to_json(double now_s) const {
  std::lock_guard lock(mu_);
  std::vector<double> v(recent_.begin(), recent_.end());
  auto opt = [](std::optional<double> d) { return d ? nlohmann::json(*d) : nlohmann::json(nullptr); };
  nlohmann::json j{{"count", count_}, {"errors", errors_}, {"since", since_s_}, {"window", v.size()}};
  j["latency_p50_s"] = opt(percentile(v, 50));
  j["latency_p99_s"] = opt(percentile(v, 99));
  j["latency_mean_s"] =
      v.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::accumulate(v.begin(), v.end(), 0.0) / v.size());
  // Achieved rate: completed inferences over the time from the first to now (null until two have run).
  if (count_ >= 2 && first_s_ && now_s > *first_s_)
    j["throughput_per_s"] = static_cast<double>(count_ - 1) / (*last_s_ - *first_s_ > 0 ? *last_s_ - *first_s_ : 1);
  else
    j["throughput_per_s"] = nullptr;
  if (!last_error_.empty()) j["last_error"] = last_error_;
  return j;
}

}  // namespace edgeml::agent
