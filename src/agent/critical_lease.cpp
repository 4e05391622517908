#include "agent/critical_lease.hpp"

#include <cmath>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::agent {

void CriticalLease::take(const std::string& reason, double seconds) {
  if (trim(reason).empty() || reason.size() > 256)
    throw FieldError("reason", "reason must say what the critical work is (1-256 characters)");
  if (!(std::isfinite(seconds) && seconds > 0 && seconds <= kMaxSeconds))
    throw FieldError("seconds", "seconds must be more than 0 and at most " + format_number(kMaxSeconds, 0) +
                                    " (the lease expires then unless renewed)");
  std::lock_guard lock(mu_);
  reason_ = std::string(trim(reason));
  since_s_ = clock_.now_s();
  until_s_ = since_s_ + seconds;
  until_mono_s_ = clock_.monotonic_s() + seconds;
}

void CriticalLease::release() {
  std::lock_guard lock(mu_);
  reason_.clear();
  until_mono_s_ = 0;
}

std::optional<std::string> CriticalLease::check() const {
  std::lock_guard lock(mu_);
  if (reason_.empty() || clock_.monotonic_s() >= until_mono_s_) return std::nullopt;
  return reason_ + " (critical-work lease until " + format_number(until_s_, 0) + ")";
}

nlohmann::json CriticalLease::to_json() const {
  std::lock_guard lock(mu_);
  const double remaining = until_mono_s_ - clock_.monotonic_s();
  if (reason_.empty() || remaining <= 0) return {{"active", false}};
  return {{"active", true}, {"reason", reason_}, {"since", since_s_}, {"until", until_s_}, {"remaining_s", remaining}};
}

}  // namespace edgeml::agent
