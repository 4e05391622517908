#pragma once
// Energy from power: counter differences (RAPL energy_uj, hwmon energy*_input, a meter's energy_j) with wraparound,
// or the trapezoid rule over power samples (zeus integrates INA3221 readings the same way).
#include <optional>
#include <string>

#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

// current - previous for a counter that wraps to 0 after max_range (RAPL: max_energy_range_uj). nullopt when the
// counter went backwards and no range is known (a reset), or the difference is not plausible.
std::optional<double> counter_delta(double previous, double current, std::optional<double> max_range);

// Follows one energy counter across reads: joules since its first read, and the average power over the last interval.
class CounterTracker {
 public:
  struct Step {
    double joules_since_start = 0;
    std::optional<double> watts;  // nullopt on the first read, after a reset, or when no time passed
  };
  Step update(double counter_joules, double now_s, std::optional<double> wrap_joules);

 private:
  std::optional<double> last_counter_, last_t_;
  double total_ = 0;
};

// Accumulates joules over a stretch of samples. The agent keeps one per window, per active model, per inference run;
// the Collector keeps one since start. Samples that carry no power (source unavailable) break the chain: energy is
// never interpolated across a hole, so an outage undercounts rather than invents.
class EnergyIntegrator {
 public:
  explicit EnergyIntegrator(double max_gap_s = 30.0) : max_gap_s_(max_gap_s) {}

  void add_power(double t_s, double watts, const std::string& source = "");     // trapezoid with the previous sample
  void add_counter(double t_s, double joules, const std::string& source = "");  // delta of a monotonic counter
  void add(const Snapshot& s);  // the snapshot's counter if it has one, else its total watts, else a gap
  void gap();                   // the next sample starts a new segment

  double joules() const { return joules_; }
  double seconds() const { return seconds_; }  // time covered by integrated segments
  std::optional<double> average_watts() const;
  bool measured() const { return !method_.empty(); }
  std::string method() const { return method_; }  // "", "trapezoid", "counter", or "counter+trapezoid"

 private:
  void note_method(const char* m);
  double max_gap_s_;
  double joules_ = 0, seconds_ = 0;
  std::string method_;
  enum class Kind { none, power, counter } kind_ = Kind::none;
  std::string source_;
  double last_t_ = 0, last_value_ = 0;
};

}  // namespace edgeml::telemetry
