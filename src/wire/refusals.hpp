#pragma once
// Counts of refused messages by reason, for a service's /metrics and logs (every refusal is counted; the service keeps
// running). Thread-safe.
#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "wire/protocol_error.hpp"

namespace edgeml::wire {

class RefusalCounters {
 public:
  void count(Refusal r) { n_[static_cast<size_t>(r)].fetch_add(1, std::memory_order_relaxed); }
  // Classifies (refusal_of) and counts; returns the reason.
  Refusal count(const std::exception& e);
  std::uint64_t get(Refusal r) const { return n_[static_cast<size_t>(r)].load(std::memory_order_relaxed); }
  std::uint64_t total() const;
  nlohmann::json to_json() const;  // {"malformed": N, "oversized": N, ...}
  // Prometheus text: one counter `metric{reason="..."}` per reason, zeros included (so rate() sees the series).
  std::string prometheus(std::string_view metric, std::string_view help) const;

 private:
  std::array<std::atomic<std::uint64_t>, 8> n_{};
};

}  // namespace edgeml::wire
