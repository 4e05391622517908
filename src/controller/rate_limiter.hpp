#pragma once
// A token bucket per client (its address): `burst` requests at once, then `per_minute` on average. Over the limit,
// Error(rate_limited) with details.retry_after_s, which the HTTP layer answers as 429 with Retry-After. Used where a
// request creates something or checks a password (device registration and enrollment, logins), so a script cannot
// fill the database or try passwords at full speed.
#include <map>
#include <mutex>
#include <string>

#include "common/clock.hpp"

namespace edgeml::controller {

class RateLimiter {
 public:
  // `what` names the action in the error message ("device registrations").
  RateLimiter(const Clock& clock, std::string what, double per_minute, double burst);
  // Takes one request from `key`'s allowance or throws Error(rate_limited).
  void take(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    double at_s = 0;
  };
  const Clock& clock_;
  std::string what_;
  double per_s_, burst_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace edgeml::controller
