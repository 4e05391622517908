#include "wire/dedup.hpp"

#include <algorithm>
#include <unordered_set>

namespace edgeml::wire {

FreshSamples drop_duplicates(const std::vector<TelemetrySample>& samples, std::span<const std::uint64_t> stored) {
  std::unordered_set<std::uint64_t> seen(stored.begin(), stored.end());
  FreshSamples out;
  out.samples.reserve(samples.size());
  for (const auto& s : samples) {
    if (seen.insert(s.seq).second)
      out.samples.push_back(s);
    else
      ++out.duplicates;
  }
  return out;
}

FreshSamples drop_duplicates(const TelemetryBatch& batch, const StoredSequences& store) {
  if (batch.samples.empty()) return {};
  auto [lo, hi] = std::minmax_element(batch.samples.begin(), batch.samples.end(),
                                      [](const auto& a, const auto& b) { return a.seq < b.seq; });
  auto stored = store.stored_between(batch.device, batch.stream, lo->seq, hi->seq);
  return drop_duplicates(batch.samples, stored);
}

std::vector<std::uint64_t> MemorySequences::stored_between(const std::string& device, const std::string& stream,
                                                           std::uint64_t first, std::uint64_t last) const {
  std::lock_guard lock(mu_);
  std::vector<std::uint64_t> out;
  auto it = seen_.find({device, stream});
  if (it == seen_.end()) return out;
  for (auto s = it->second.lower_bound(first); s != it->second.end() && *s <= last; ++s) out.push_back(*s);
  return out;
}

void MemorySequences::add(const std::string& device, const std::string& stream,
                          std::span<const TelemetrySample> samples) {
  std::lock_guard lock(mu_);
  auto& set = seen_[{device, stream}];
  for (const auto& s : samples) size_ += set.insert(s.seq).second ? 1 : 0;
}

std::size_t MemorySequences::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

}  // namespace edgeml::wire
