#pragma once
// Time is passed in, never reached for, so tests can move it (design.md: "nothing a test must control is reached for
// directly"). Seconds since the Unix epoch as double: enough resolution for telemetry and deploy step timings.
#include <atomic>
#include <chrono>

namespace edgeml {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual double now_s() const = 0;        // wall clock, Unix seconds
  virtual double monotonic_s() const = 0;  // for durations
};

class SystemClock final : public Clock {
 public:
  double now_s() const override {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  double monotonic_s() const override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
};

// A clock tests advance by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(double start_s = 1'700'000'000.0) : t_(start_s) {}
  double now_s() const override { return t_.load(); }
  double monotonic_s() const override { return t_.load(); }
  void advance(double seconds) { t_.store(t_.load() + seconds); }
  void set(double t) { t_.store(t); }

 private:
  std::atomic<double> t_;
};

}  // namespace edgeml
