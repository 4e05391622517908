#include "telemetry/collector.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "telemetry/jetson_clocks.hpp"
#include "telemetry/readers.hpp"

namespace edgeml::telemetry {

Collector::Collector(Roots roots, const edgeml::Clock& clock, ExternalMeterOptions meter_options)
    : roots_(std::move(roots)), clock_(clock), meter_(meter_options) {
  readers_.push_back(make_cpu_reader(roots_));
  readers_.push_back(make_uptime_reader(roots_));
  readers_.push_back(make_meminfo_reader(roots_));
  readers_.push_back(make_storage_reader(roots_));
  readers_.push_back(make_thermal_zone_reader(roots_));
  readers_.push_back(make_hwmon_temp_reader(roots_));
  readers_.push_back(make_cpufreq_reader(roots_));
  readers_.push_back(make_jetson_gpu_reader(roots_));
  readers_.push_back(make_jetson_emc_reader(roots_));
  readers_.push_back(make_fan_reader(roots_));
  readers_.push_back(make_nvpmodel_reader(roots_));
  readers_.push_back(make_thermal_trip_reader(roots_));
  readers_.push_back(make_soctherm_oc_reader(roots_));
  readers_.push_back(make_rpi_throttled_reader(roots_));
  readers_.push_back(make_power_supply_reader(roots_));
  power_readers_.push_back(make_ina3221x_reader(roots_));
  power_readers_.push_back(make_hwmon_power_reader(roots_));
  power_readers_.push_back(make_rapl_reader(roots_));
  power_readers_.push_back(make_pmic_adc_reader(roots_));
}

namespace {
// Readers promise not to throw; if one does anyway, its section keeps "unavailable" and the others still run.
void run(Reader& r, Snapshot& s, double now) {
  try {
    r.read(s, now);
  } catch (const std::exception& e) {
    log::warn("telemetry", "reader " + r.name() + " failed: " + e.what());
  }
}

// Several readers add to the throttle section; the verdict and the reason for its absence are given once, here.
void finish_throttle(ThrottleSection& t) {
  if (t.available) {
    t.throttled_now = std::any_of(t.flags.begin(), t.flags.end(), [](const ThrottleFlag& f) { return f.active_now; });
    return;
  }
  t.reason = kNoThrottleReason;
  for (const auto& [source, why] : t.unavailable_series) t.reason += "; " + source + ": " + why;
  t.unavailable_series.clear();
}
}  // namespace

Snapshot Collector::sample() {
  std::lock_guard lock(mu_);
  Snapshot s;
  s.timestamp_s = clock_.now_s();
  for (auto& r : readers_) run(*r, s, s.timestamp_s);

  if (s.thermal.available) {
    s.thermal.source = "sysfs";
    for (const auto& t : s.thermal.readings)
      if (!s.thermal.max_celsius || t.celsius > *s.thermal.max_celsius) s.thermal.max_celsius = t.celsius;
  } else {
    s.thermal.reason = kNoTemperatureReason;
  }
  finish_throttle(s.throttle);
  fill_jetson_clocks(s);

  // Every power reader runs; the first available one (meter first) is reported. Reasons of sources that exist but
  // cannot be used (RAPL without root, a silent meter) are kept for the unavailable answer.
  std::vector<Reader*> power{&meter_};
  for (auto& r : power_readers_) power.push_back(r.get());
  std::string problems;
  for (Reader* r : power) {
    Snapshot probe;
    run(*r, probe, s.timestamp_s);
    if (probe.power.available) {
      if (!s.power.available) s.power = std::move(probe.power);
    } else if (!probe.power.reason.empty()) {
      problems += "; " + probe.power.reason;
    }
  }
  if (!s.power.available) s.power.reason = kNoPowerReason + problems;

  energy_.add(s);
  if (energy_.measured()) {
    s.energy.available = true;
    s.energy.source = s.power.available ? s.power.source : "";
    s.energy.total_joules = energy_.joules();
    s.energy.method = energy_.method();
  } else {
    s.energy.reason = "no power source since start: energy not measured";
  }
  return s;
}

}  // namespace edgeml::telemetry
