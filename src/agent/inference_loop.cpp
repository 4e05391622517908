#include "agent/inference_loop.hpp"

#include <algorithm>
#include <chrono>

namespace edgeml::agent {

InferenceLoop::InferenceLoop(const ModelHost& host, const Clock& clock, double hz)
    : host_(host), clock_(clock), hz_(hz) {
  stats_.reset(clock_.now_s());
}

InferenceLoop::~InferenceLoop() { stop(); }

void InferenceLoop::start() {
  if (hz_ <= 0 || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void InferenceLoop::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

InferenceLoop::Pause::Pause(InferenceLoop& loop) : loop_(loop) {
  std::unique_lock lock(loop_.busy_mu_);
  ++loop_.pauses_;
  loop_.idle_cv_.wait(lock, [&] { return !loop_.inflight_since_s_.has_value(); });
}

InferenceLoop::Pause::~Pause() {
  std::lock_guard lock(loop_.busy_mu_);
  --loop_.pauses_;
}

telemetry::BusyCounters InferenceLoop::busy() const {
  std::lock_guard lock(busy_mu_);
  telemetry::BusyCounters b = busy_;
  if (inflight_since_s_) {
    b.busy_now = true;
    b.busy_s += std::max(0.0, clock_.monotonic_s() - *inflight_since_s_);
  }
  return b;
}

void InferenceLoop::run() {
  const auto period = std::chrono::duration<double>(1.0 / hz_);
  auto next = std::chrono::steady_clock::now();
  std::uint64_t seen_generation = host_.generation();
  std::vector<float> input;
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_until(lock, next, [this] { return stopping_; })) return;
    }
    // Fixed-rate schedule; when an inference overruns, skip the missed ticks rather than bursting to catch up.
    next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
    auto now_tp = std::chrono::steady_clock::now();
    if (next < now_tp) next = now_tp;

    auto gen = host_.generation();
    if (gen != seen_generation) {
      seen_generation = gen;
      stats_.reset(clock_.now_s());
    }
    auto active = host_.active();
    if (!active) continue;
    if (input.size() != active->input.element_count) input = ModelHost::synthetic_input(active->input.element_count);
    {
      std::lock_guard lock(busy_mu_);
      if (pauses_ > 0) continue;  // a benchmark window has the device
      inflight_since_s_ = clock_.monotonic_s();
    }
    try {
      auto r = host_.run(input);
      {
        // The runtime's own timing of the inference is the busy interval: the same figure as the latency statistics,
        // so energy per inference and latency describe the same time.
        std::lock_guard lock(busy_mu_);
        inflight_since_s_.reset();
        busy_.busy_s += r.latency_s;
        ++busy_.inferences;
      }
      idle_cv_.notify_all();
      stats_.record(r.latency_s, clock_.now_s());
    } catch (const std::exception& e) {
      {
        std::lock_guard lock(busy_mu_);
        if (inflight_since_s_) busy_.busy_s += std::max(0.0, clock_.monotonic_s() - *inflight_since_s_);
        inflight_since_s_.reset();
      }
      idle_cv_.notify_all();
      stats_.record_error(e.what());
    }
  }
}

}  // namespace edgeml::agent
