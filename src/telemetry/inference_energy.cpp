#include "telemetry/inference_energy.hpp"

#include <algorithm>
#include <numeric>

namespace edgeml::telemetry {

InferenceEnergy::InferenceEnergy(size_t rate_window, double max_gap_s)
    : max_gap_s_(max_gap_s), window_(std::max<size_t>(rate_window, 1)) {}

void InferenceEnergy::add(const PowerReading& p, const BusyCounters& busy) {
  const bool has_power = p.counter_joules || p.watts;
  if (!has_power) {
    last_.reset();
    return;
  }
  // A reading taken while no inference ran is an idle reading (counters: only when the whole interval was idle).
  const bool idle_interval =
      last_ && busy.inferences == last_busy_.inferences && !busy.busy_now && !last_busy_.busy_now;
  if (p.watts && !p.counter_joules && !busy.busy_now) idle_readings_.push_back(*p.watts);
  // (busy_s may step back by microseconds when an in-flight estimate is replaced by the runtime's own timing: clamped)
  if (last_ && last_->source == p.source && p.t_s > last_->t_s && p.t_s - last_->t_s <= max_gap_s_ &&
      busy.inferences >= last_busy_.inferences) {
    const double dt = p.t_s - last_->t_s;
    std::optional<double> joules;
    if (p.counter_joules && last_->counter_joules && *p.counter_joules >= *last_->counter_joules) {
      joules = *p.counter_joules - *last_->counter_joules;
      method_ = "counter difference";
      if (idle_interval) idle_readings_.push_back(*joules / dt);
    } else if (p.watts && last_->watts) {
      joules = 0.5 * (*p.watts + *last_->watts) * dt;
      method_ = "trapezoid of power samples";
    }
    if (joules) {
      // Busy time is measured by the loop's own clock; it cannot exceed the interval.
      const double b = std::clamp(busy.busy_s - last_busy_.busy_s, 0.0, dt);
      inference_j_ += *joules * b / dt;
      idle_j_ += *joules * (1 - b / dt);
      seconds_ += dt;
      busy_s_ += b;
      inferences_ += busy.inferences - last_busy_.inferences;
      ++intervals_;
      recent_.push_back({dt, *joules, *joules * b / dt, b, busy.inferences - last_busy_.inferences});
      while (recent_.size() > window_) recent_.pop_front();
      source_ = p.source;
    }
  }
  while (idle_readings_.size() > window_) idle_readings_.pop_front();
  last_ = p;
  last_busy_ = busy;
}

std::optional<double> InferenceEnergy::gross_per_inference_j() const {
  if (inferences_ == 0) return std::nullopt;
  return inference_j_ / static_cast<double>(inferences_);
}

std::optional<double> InferenceEnergy::idle_power_w() const {
  if (idle_readings_.empty()) return std::nullopt;
  return std::accumulate(idle_readings_.begin(), idle_readings_.end(), 0.0) /
         static_cast<double>(idle_readings_.size());
}

std::optional<double> InferenceEnergy::duty_cycle() const {
  if (seconds_ <= 0) return std::nullopt;
  return busy_s_ / seconds_;
}

double InferenceEnergy::rate_window_s() const {
  double s = 0;
  for (const auto& r : recent_) s += r.dt;
  return s;
}

std::optional<double> InferenceEnergy::current_power_w() const {
  double j = 0;
  for (const auto& r : recent_) j += r.joules;
  const double s = rate_window_s();
  if (s <= 0) return std::nullopt;
  return j / s;
}

nlohmann::json InferenceEnergy::to_json() const {
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json j{
      {"available", measured()},
      {"definition",
       "gross energy per inference = device energy over the time inferences run / their count (what a "
       "back-to-back window of N inferences measures, as the catalog stores); idle time is counted apart"},
      {"method", method_.empty() ? nlohmann::json(nullptr)
                                 : nlohmann::json(method_ + ", split between busy and idle by the inference loop's "
                                                            "recorded busy time in each sample interval")},
      {"source", source_.empty() ? nlohmann::json(nullptr) : nlohmann::json(source_)},
      {"seconds", seconds_},
      {"busy_s", busy_s_},
      {"inferences", inferences_},
      {"split_j", {{"inference", inference_j_}, {"idle", idle_j_}}},
      {"energy_j", total_j()},
      {"duty_cycle", opt(duty_cycle())}};
  const auto gross = gross_per_inference_j();
  j["gross_energy_per_inference_mj"] = gross ? nlohmann::json(*gross * 1000) : nlohmann::json(nullptr);
  if (!gross) j["gross_energy_per_inference_reason"] = "no inference completed while power was measured";
  j["mean_busy_s_per_inference"] =
      inferences_ ? nlohmann::json(busy_s_ / static_cast<double>(inferences_)) : nlohmann::json(nullptr);
  const auto idle = idle_power_w();
  j["idle_power_w"] = opt(idle);
  j["idle_power_method"] =
      "mean of the last " + std::to_string(window_) + " power readings taken while no inference ran";
  if (!idle) j["idle_power_reason"] = "no power reading was taken while the device was idle";
  if (gross && idle) {
    // Net (marginal) energy: what the inferences cost above what the idle device draws over the same time.
    j["net_energy_per_inference_mj"] = (*gross - *idle * busy_s_ / static_cast<double>(inferences_)) * 1000;
    j["net_energy_method"] = "gross - idle_power_w x busy time per inference";
  } else {
    j["net_energy_per_inference_mj"] = nullptr;
    j["net_energy_reason"] = !gross ? "no gross figure yet" : "idle power unknown";
  }
  const auto now_w = current_power_w();
  j["current_power_w"] = opt(now_w);
  j["energy_per_hour_mwh"] = now_w ? nlohmann::json(*now_w * 1000) : nlohmann::json(nullptr);  // W x 1 h = 1000 mWh
  j["rate_window_s"] = rate_window_s();
  // The same gross figure over the recent window only: what an inference costs now, after a change of power mode.
  double recent_j = 0, recent_busy = 0;
  std::uint64_t recent_n = 0;
  for (const auto& r : recent_) recent_j += r.inference_j, recent_busy += r.busy_s, recent_n += r.inferences;
  j["current_gross_energy_per_inference_mj"] =
      recent_n ? nlohmann::json(recent_j / static_cast<double>(recent_n) * 1000) : nlohmann::json(nullptr);
  j["current_mean_busy_s_per_inference"] =
      recent_n ? nlohmann::json(recent_busy / static_cast<double>(recent_n)) : nlohmann::json(nullptr);
  return j;
}

}  // namespace edgeml::telemetry
