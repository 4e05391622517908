#pragma once
// A task run every `period` on a thread of its own until stopped: the one periodic loop of the project (telemetry
// sampling, the inference loop, polling, retention). The schedule is fixed-rate; a run that overruns skips the missed
// ticks instead of bursting to catch up. stop() wakes the wait at once and joins. An exception thrown by the task is
// logged with the task's name and the schedule goes on.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace edgeml {

class PeriodicTask {
 public:
  // first_run_now: run at start() and then every period; else wait one period first.
  PeriodicTask(std::string name, double period_s, std::function<void()> task, bool first_run_now = true);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void start();
  void stop();  // idempotent
  bool running() const;

 private:
  void run();
  std::string name_;
  double period_s_;
  std::function<void()> task_;
  bool first_run_now_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace edgeml
