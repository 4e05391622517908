#pragma once
// "Critical work" on a device, as the agent understands it: a lease someone takes with POST /critical {"reason",
// "seconds"} (e.g. a camera pipeline that must not be disturbed) and gives back with DELETE /critical, or that simply
// expires -- so a client that dies holding it does not block the device forever. While a lease holds, the agent runs
// no post-deploy benchmark window (benchmark_service.hpp) and says why. /status shows the lease.
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/clock.hpp"

namespace edgeml::agent {

class CriticalLease {
 public:
  static constexpr double kMaxSeconds = 7 * 86400.0;

  explicit CriticalLease(const Clock& clock) : clock_(clock) {}
  // Takes (or renews: the newest reason and expiry win) the lease. FieldError("reason") for an empty or over-long
  // reason, FieldError("seconds") outside (0, kMaxSeconds].
  void take(const std::string& reason, double seconds);
  void release();
  // Why the device is busy with critical work now, or nullopt (an expired lease counts as released).
  std::optional<std::string> check() const;
  // {"active": false} or {"active": true, "reason", "since", "until", "remaining_s"}
  nlohmann::json to_json() const;

 private:
  const Clock& clock_;
  mutable std::mutex mu_;
  std::string reason_;
  double since_s_ = 0, until_s_ = 0;  // wall clock (shown); expiry is checked on the monotonic clock
  double until_mono_s_ = 0;
};

}  // namespace edgeml::agent
