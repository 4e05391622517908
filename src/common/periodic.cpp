#include "common/periodic.hpp"

#include <chrono>

#include "common/log.hpp"

namespace edgeml {

PeriodicTask::PeriodicTask(std::string name, double period_s, std::function<void()> task, bool first_run_now)
    : name_(std::move(name)), period_s_(period_s), task_(std::move(task)), first_run_now_(first_run_now) {}

PeriodicTask::~PeriodicTask() { stop(); }

void PeriodicTask::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void PeriodicTask::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool PeriodicTask::running() const {
  std::lock_guard lock(mu_);
  return thread_.joinable() && !stopping_;
}

void PeriodicTask::run() {
  using clock = std::chrono::steady_clock;
  const auto period = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(period_s_));
  auto next = clock::now();
  if (!first_run_now_) next += period;
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_until(lock, next, [this] { return stopping_; })) return;
    }
    next += period;
    if (next < clock::now()) next = clock::now();
    try {
      task_();
    } catch (const std::exception& e) {
      log::error(name_, std::string("periodic task failed: ") + e.what());
    }
  }
}

}  // namespace edgeml
