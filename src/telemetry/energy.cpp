#include "telemetry/energy.hpp"

namespace edgeml::telemetry {

std::optional<double> counter_delta(double previous, double current, std::optional<double> max_range) {
  if (current >= previous) return current - previous;
  if (!max_range || *max_range <= 0 || previous > *max_range) return std::nullopt;
  return current + (*max_range - previous);  // wrapped once
}

CounterTracker::Step CounterTracker::update(double counter, double now_s, std::optional<double> wrap) {
  Step step;
  if (last_counter_ && last_t_) {
    auto d = counter_delta(*last_counter_, counter, wrap);
    if (d) {
      total_ += *d;
      if (now_s > *last_t_) step.watts = *d / (now_s - *last_t_);
    }
  }
  last_counter_ = counter;
  last_t_ = now_s;
  step.joules_since_start = total_;
  return step;
}

void EnergyIntegrator::note_method(const char* m) {
  if (method_.empty())
    method_ = m;
  else if (method_ != m)
    method_ = "counter+trapezoid";
}

void EnergyIntegrator::add_power(double t, double watts, const std::string& source) {
  if (kind_ == Kind::power && source == source_ && t > last_t_ && t - last_t_ <= max_gap_s_) {
    joules_ += 0.5 * (last_value_ + watts) * (t - last_t_);
    seconds_ += t - last_t_;
  }
  note_method("trapezoid");
  kind_ = Kind::power;
  source_ = source;
  last_t_ = t;
  last_value_ = watts;
}

void EnergyIntegrator::add_counter(double t, double joules, const std::string& source) {
  // The counter is already wrap-corrected by its reader; a decrease means the source restarted.
  if (kind_ == Kind::counter && source == source_ && t > last_t_ && joules >= last_value_) {
    joules_ += joules - last_value_;
    seconds_ += t - last_t_;
  }
  note_method("counter");
  kind_ = Kind::counter;
  source_ = source;
  last_t_ = t;
  last_value_ = joules;
}

void EnergyIntegrator::add(const Snapshot& s) {
  const PowerSection& p = s.power;
  if (p.available && p.energy_counter_joules)
    add_counter(s.timestamp_s, *p.energy_counter_joules, p.source);
  else if (p.available && p.total_watts)
    add_power(s.timestamp_s, *p.total_watts, p.source);
  else
    gap();
}

void EnergyIntegrator::gap() { kind_ = Kind::none; }

std::optional<double> EnergyIntegrator::average_watts() const {
  if (seconds_ <= 0) return std::nullopt;
  return joules_ / seconds_;
}

}  // namespace edgeml::telemetry
