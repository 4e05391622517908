#pragma once
// One definition of energy per inference, the catalog's: GROSS energy per inference = the device's energy over the
// time inferences actually run, divided by their count -- what a back-to-back window of N inferences measures.
// Time between inferences is idle time: its energy is counted apart, never spread over the inferences.
//
// Fed one power sample at a time together with the inference loop's cumulative busy time and count at that instant.
// Between two samples the device's energy (trapezoid of the two power readings, or the counter difference) is split
// in proportion of the busy time the loop recorded in that interval: the busy share is inference energy, the rest
// idle energy. Idle power is the mean of readings taken while no inference ran. Every figure carries its method.
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace edgeml::telemetry {

struct BusyCounters {
  std::uint64_t inferences = 0;  // completed, cumulative
  double busy_s = 0;             // cumulative time inside inferences (an inference in flight counts up to now)
  bool busy_now = false;         // an inference was running when the counters were read
};

struct PowerReading {
  double t_s = 0;                        // sample time, seconds (any steady origin)
  std::optional<double> watts;           // instantaneous power, when the source gives it
  std::optional<double> counter_joules;  // a cumulative energy counter, when the source has one (preferred)
  std::string source;                    // "ina3221x", "rapl", ... (a change of source restarts the chain)
};

class InferenceEnergy {
 public:
  // rate_window: how many recent sample intervals the "current" figures (power, energy per hour, idle power) cover.
  explicit InferenceEnergy(size_t rate_window = 20, double max_gap_s = 30.0);

  // A sample without power (source unavailable) breaks the chain: nothing is integrated across the hole.
  void add(const PowerReading& power, const BusyCounters& busy);

  bool measured() const { return intervals_ > 0; }
  double total_j() const { return inference_j_ + idle_j_; }
  double inference_j() const { return inference_j_; }
  double idle_j() const { return idle_j_; }
  double seconds() const { return seconds_; }
  double busy_s() const { return busy_s_; }
  std::uint64_t inferences() const { return inferences_; }
  std::optional<double> gross_per_inference_j() const;
  std::optional<double> idle_power_w() const;     // mean of readings taken while idle (recent window)
  std::optional<double> duty_cycle() const;       // busy / covered time
  std::optional<double> current_power_w() const;  // mean power over the recent window
  double rate_window_s() const;

  // {"available", "definition", "gross_energy_per_inference_mj", "net_energy_per_inference_mj", "idle_power_w",
  //  "duty_cycle", "energy_per_hour_mwh", "split_j": {inference, idle}, ..., "method", "source"} with reasons where a
  // figure is unavailable.
  nlohmann::json to_json() const;

 private:
  struct Recent {
    double dt = 0, joules = 0, inference_j = 0, busy_s = 0;
    std::uint64_t inferences = 0;
  };
  double max_gap_s_;
  size_t window_;
  std::optional<PowerReading> last_;
  BusyCounters last_busy_;
  double inference_j_ = 0, idle_j_ = 0, seconds_ = 0, busy_s_ = 0;
  std::uint64_t inferences_ = 0, intervals_ = 0;
  std::deque<Recent> recent_;
  std::deque<double> idle_readings_;  // watts, most recent window_ readings taken while idle
  std::string method_, source_;
};

}  // namespace edgeml::telemetry
