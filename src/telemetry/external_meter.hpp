#pragma once
// An external power meter (a USB meter or a smart plug read by another program) that posts its readings to the
// agent's POST /energy as {"power_w": W | "energy_j": J, "ts": unix_s, "source": "name"}. The meter validates each
// body, keeps the latest reading, and as a Reader reports it until it goes silent.
//
// Energy: power_w readings are integrated by trapezoid over their own timestamps (every posted reading counts, not
// only those the Collector happens to sample); energy_j is a counter and is taken by difference.
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "telemetry/reader.hpp"

namespace edgeml::telemetry {

// Too many submissions: the agent answers 429 (not 400: the body may be fine).
class RateLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ExternalMeterOptions {
  double silence_s = 10.0;        // no reading for longer -> unavailable ("external meter silent for 12 s")
  int max_per_second = 50;        // submissions accepted in any 1 s window
  double max_future_s = 5.0;      // ts may run this far ahead of the agent's clock (clock skew)
  double max_power_w = 100000.0;  // anything above is a unit mix-up (mW posted as W), not an edge device
};

class ExternalMeter : public Reader {
 public:
  explicit ExternalMeter(ExternalMeterOptions options = {}) : opt_(options) {}
  std::string name() const override { return "external_meter"; }

  // Validates and records one reading; now_s is the agent's clock. Throws FieldError naming the field
  // (power_w, energy_j, ts, source, body) or RateLimitError. Thread-safe.
  void submit(const nlohmann::json& body, double now_s);

  // Fills Snapshot::power while the meter is fresh; sets only a reason once it went silent. Thread-safe.
  void read(Snapshot& out, double now_s) override;

 private:
  ExternalMeterOptions opt_;
  mutable std::mutex mu_;
  std::deque<double> recent_;  // agent-clock times of submissions in the last second
  std::string source_;
  double last_ts_ = 0, received_at_ = 0;
  bool have_reading_ = false;
  std::optional<double> last_power_w_, last_energy_j_;
  std::optional<double> watts_;  // latest power (posted, or from two energy readings)
  double joules_ = 0;            // since the first reading of this source
};

}  // namespace edgeml::telemetry
