#pragma once
// Runs the active model on the synthetic input at a fixed rate (--infer-hz) so the device's power and temperature
// reflect a model in use, and keeps latency statistics. Statistics restart when the active model changes.
// It also records when inferences run (busy time and count, cumulative over the process), so telemetry can integrate
// power over busy intervals only: energy per inference never includes the idle time between ticks.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "agent/latency_stats.hpp"
#include "agent/model_host.hpp"
#include "common/clock.hpp"
#include "common/periodic.hpp"
#include "telemetry/inference_energy.hpp"

namespace edgeml::agent {

class InferenceLoop {
 public:
  InferenceLoop(const ModelHost& host, const Clock& clock, double hz);
  ~InferenceLoop();
  void start();
  void stop();
  double hz() const { return hz_; }
  bool running() const { return ticker_ && ticker_->running(); }
  const LatencyStats& stats() const { return stats_; }
  // Cumulative busy time (an inference in flight counts up to now, by the clock's monotonic time) and count.
  telemetry::BusyCounters busy() const;

  // While a Pause lives the loop runs no inference (ticks are skipped), so a benchmark window has the device to
  // itself. Pauses nest; the destructor resumes. The pause waits for an inference in flight to finish.
  class Pause {
   public:
    explicit Pause(InferenceLoop& loop);
    ~Pause();
    Pause(const Pause&) = delete;
    Pause& operator=(const Pause&) = delete;

   private:
    InferenceLoop& loop_;
  };

 private:
  void tick();  // one inference on the active model (or nothing: no model, or paused)
  const ModelHost& host_;
  const Clock& clock_;
  double hz_;
  LatencyStats stats_;
  std::uint64_t seen_generation_ = 0;
  std::vector<float> input_;
  mutable std::mutex busy_mu_;  // guards what follows
  telemetry::BusyCounters busy_;
  std::optional<double> inflight_since_s_;  // monotonic start of the inference running now
  int pauses_ = 0;                          // guarded by busy_mu_
  std::condition_variable idle_cv_;         // signalled when an inference finishes (for Pause)
  std::unique_ptr<PeriodicTask> ticker_;    // last: stopped before the state it uses goes away
};

}  // namespace edgeml::agent
