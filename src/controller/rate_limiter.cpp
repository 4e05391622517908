#include "controller/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::controller {

RateLimiter::RateLimiter(const Clock& clock, std::string what, double per_minute, double burst)
    : clock_(clock), what_(std::move(what)), per_s_(per_minute / 60.0), burst_(burst) {}

void RateLimiter::take(const std::string& key) {
  const double now = clock_.monotonic_s();
  std::lock_guard lock(mu_);
  if (buckets_.size() > 10000) {  // forget clients whose bucket has filled up again (bounded memory under a scan)
    std::erase_if(buckets_,
                  [&](const auto& kv) { return kv.second.tokens + (now - kv.second.at_s) * per_s_ >= burst_; });
  }
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + (now - b.at_s) * per_s_);
  b.at_s = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return;
  }
  double wait_s = std::max(1.0, std::ceil((1.0 - b.tokens) / per_s_));
  throw Error(ErrorKind::rate_limited,
              "too many " + what_ + " from " + key + ": at most " + format_number(burst_, 0) + " at once and " +
                  format_number(per_s_ * 60.0, 1) + " a minute; retry in " + format_number(wait_s, 0) + " s",
              "", {{"retry_after_s", wait_s}});
}

}  // namespace edgeml::controller
