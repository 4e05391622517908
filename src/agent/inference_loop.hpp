#pragma once
// Runs the active model on the synthetic input at a fixed rate (--infer-hz) so the device's power and temperature
// reflect a model in use, and keeps latency statistics. Statistics restart when the active model changes.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "agent/latency_stats.hpp"
#include "agent/model_host.hpp"
#include "common/clock.hpp"

namespace edgeml::agent {

class InferenceLoop {
 public:
  InferenceLoop(const ModelHost& host, const Clock& clock, double hz);
  ~InferenceLoop();
  void start();
  void stop();
  double hz() const { return hz_; }
  bool running() const { return thread_.joinable(); }
  const LatencyStats& stats() const { return stats_; }

 private:
  void run();
  const ModelHost& host_;
  const Clock& clock_;
  double hz_;
  LatencyStats stats_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace edgeml::agent
