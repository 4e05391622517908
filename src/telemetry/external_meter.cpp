#include "telemetry/external_meter.hpp"

#include <cmath>

#include "common/error.hpp"
#include "common/json_fields.hpp"
#include "common/strings.hpp"

namespace edgeml::telemetry {

namespace {
bool valid_source_name(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':' || c == '/' || c == ' ')) return false;
  return true;
}
}  // namespace

void ExternalMeter::submit(const nlohmann::json& body, double now_s) {
  std::lock_guard lock(mu_);
  // Rate first, so that a flood of bad bodies is bounded too.
  while (!recent_.empty() && recent_.front() <= now_s - 1.0) recent_.pop_front();
  if (int(recent_.size()) >= opt_.max_per_second)
    throw RateLimitError("too many energy readings: at most " + std::to_string(opt_.max_per_second) +
                         " per second are accepted");
  recent_.push_back(now_s);

  if (!body.is_object()) throw FieldError("body", "body must be a JSON object {power_w | energy_j, ts, source}");
  auto power = optional_number(body, "power_w", {0.0, opt_.max_power_w});
  auto energy = optional_number(body, "energy_j", {0.0, 1e15});
  if (power.has_value() == energy.has_value())
    throw FieldError(power ? "energy_j" : "power_w", "give exactly one of 'power_w' (watts) or 'energy_j' (joules)");
  double ts = require_number(body, "ts", {1e9, 1e10});  // Unix seconds (2001..2286): catches milliseconds
  std::string source = require_string(body, "source", 64);
  if (!valid_source_name(source))
    throw FieldError("source", "'source' must be 1-64 characters of letters, digits, space and . _ - : /");
  if (ts > now_s + opt_.max_future_s)
    throw FieldError("ts", "'ts' is " + format_number(ts - now_s, 3) + " s ahead of the agent's clock");
  if (ts < now_s - opt_.silence_s)
    throw FieldError("ts", "'ts' is " + format_number(now_s - ts, 3) + " s old; readings older than " +
                               format_number(opt_.silence_s) + " s are refused");

  bool same_source = have_reading_ && source == source_;
  if (same_source && ts <= last_ts_)
    throw FieldError("ts", "'ts' must increase: " + format_number(ts, 6) + " is not after the previous reading's " +
                               format_number(last_ts_, 6));
  if (same_source && energy && last_energy_j_ && *energy < *last_energy_j_)
    throw FieldError("energy_j", "'energy_j' is a counter and went down from " + format_number(*last_energy_j_) +
                                     " to " + format_number(*energy));

  // A new source, a switch between power and energy, or a silence restarts the chain: never integrate across it.
  bool chained = same_source && (ts - last_ts_) <= opt_.silence_s && power.has_value() == last_power_w_.has_value();
  if (!same_source) joules_ = 0;
  if (power) {
    if (chained) joules_ += 0.5 * (*last_power_w_ + *power) * (ts - last_ts_);
    watts_ = power;
  } else {
    if (chained) {
      joules_ += *energy - *last_energy_j_;
      watts_ = (*energy - *last_energy_j_) / (ts - last_ts_);
    } else {
      watts_.reset();  // a counter gives power only from two readings
    }
  }
  source_ = source;
  last_ts_ = ts;
  received_at_ = now_s;
  last_power_w_ = power;
  last_energy_j_ = energy;
  have_reading_ = true;
}

void ExternalMeter::read(Snapshot& out, double now_s) {
  std::lock_guard lock(mu_);
  if (!have_reading_) return;  // never posted: absent, like a missing sensor
  double silent = now_s - received_at_;
  if (silent > opt_.silence_s) {
    out.power.reason = "external meter silent for " + std::to_string(int(std::floor(silent))) + " s";
    return;
  }
  PowerSection p;
  p.available = true;
  p.source = "external:" + source_;
  PowerRail r;
  r.rail = source_;
  r.watts = watts_;
  r.is_total = true;
  p.rails.push_back(std::move(r));
  p.total_watts = watts_;
  p.total_method = watts_ ? "external meter" : "external meter energy counter (power needs a second reading)";
  p.energy_counter_joules = joules_;
  out.power = std::move(p);
}

}  // namespace edgeml::telemetry
