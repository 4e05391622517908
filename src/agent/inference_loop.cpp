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
  if (hz_ <= 0 || ticker_) return;
  seen_generation_ = host_.generation();
  // Fixed-rate schedule; when an inference overruns, the missed ticks are skipped rather than run in a burst.
  ticker_ = std::make_unique<PeriodicTask>("agent inference loop", 1.0 / hz_, [this] { tick(); });
  ticker_->start();
}

void InferenceLoop::stop() {
  if (ticker_) ticker_->stop();
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

void InferenceLoop::tick() {
  auto gen = host_.generation();
  if (gen != seen_generation_) {
    seen_generation_ = gen;
    stats_.reset(clock_.now_s());
  }
  auto active = host_.active();
  if (!active) return;
  if (input_.size() != active->input.element_count) input_ = ModelHost::synthetic_input(active->input.element_count);
  {
    std::lock_guard lock(busy_mu_);
    if (pauses_ > 0) return;  // a benchmark window has the device
    inflight_since_s_ = clock_.monotonic_s();
  }
  try {
    auto r = host_.run(input_);
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

}  // namespace edgeml::agent
