#include "telemetry/prometheus.hpp"

#include <cstdio>
#include <utility>
#include <vector>

#include "common/prometheus_text.hpp"

namespace edgeml::telemetry {

namespace {

using Labels = PromLabels;

class Writer {
 public:
  // One family: HELP and TYPE once, then its samples.
  void family(const std::string& name, const std::string& type, const std::string& help) {
    out_.family(name, help, type);
  }
  void sample(const std::string& name, double v, const Labels& labels = {}) { out_.sample(name, labels, v); }
  void gauge(const std::string& name, const std::string& help, const std::optional<double>& v) {
    if (!v) return;
    family(name, "gauge", help);
    sample(name, *v);
  }
  // A labelled family, written only when it has a sample: absent values stay absent rather than 0.
  using Samples = std::vector<std::pair<Labels, double>>;
  void labelled(const std::string& name, const std::string& type, const std::string& help, const Samples& samples) {
    if (samples.empty()) return;
    family(name, type, help);
    for (const auto& [labels, v] : samples) sample(name, v, labels);
  }
  std::string take() { return out_.str(); }

 private:
  PromText out_;
};

double flag(bool b) { return b ? 1.0 : 0.0; }

// Collects (labels, value) pairs for the optional values of a list, e.g. one per core that has a frequency.
template <class T, class Get, class LabelsOf>
Writer::Samples collect(const std::vector<T>& items, Get get, LabelsOf labels_of) {
  Writer::Samples out;
  for (const auto& item : items)
    if (std::optional<double> v = get(item)) out.emplace_back(labels_of(item), *v);
  return out;
}

void cpu_frequency(Writer& w, const CpuFrequencySection& f) {
  if (!f.available) return;
  // node_exporter's cpufreq collector names, so dashboards built on node_exporter work unchanged.
  auto cpu = [](const CoreFrequency& c) { return Labels{{"cpu", std::to_string(c.core)}}; };
  w.labelled("node_cpu_scaling_frequency_hertz", "gauge", "Current scaled CPU core frequency (cpufreq).",
             collect(
                 f.cores, [](const CoreFrequency& c) { return c.hz; }, cpu));
  w.labelled("node_cpu_scaling_frequency_min_hertz", "gauge", "Minimum scaled CPU core frequency (cpufreq).",
             collect(
                 f.cores, [](const CoreFrequency& c) { return c.min_hz; }, cpu));
  w.labelled("node_cpu_scaling_frequency_max_hertz", "gauge", "Maximum scaled CPU core frequency (cpufreq).",
             collect(
                 f.cores, [](const CoreFrequency& c) { return c.max_hz; }, cpu));
  w.labelled("edgeml_cpu_core_online", "gauge", "1 when the core is online, 0 when switched off (nvpmodel).",
             collect(
                 f.cores, [](const CoreFrequency& c) { return std::optional<double>(flag(c.online)); }, cpu));
}

void gpu(Writer& w, const GpuSection& g) {
  if (!g.available) return;
  Labels l{{"gpu", g.name}};
  auto one = [&](const std::string& name, const std::string& help, const std::optional<double>& v) {
    if (v) w.labelled(name, "gauge", help, {{l, *v}});
  };
  one("edgeml_gpu_load_ratio", "Jetson GPU busy share, 0..1 (the driver's load).", g.load_ratio);
  one("edgeml_gpu_frequency_hertz", "Jetson GPU clock (devfreq cur_freq).", g.freq_hz);
  one("edgeml_gpu_frequency_min_hertz", "Jetson GPU lowest allowed clock (devfreq min_freq).", g.min_freq_hz);
  one("edgeml_gpu_frequency_max_hertz", "Jetson GPU highest allowed clock (devfreq max_freq).", g.max_freq_hz);
}

void emc(Writer& w, const EmcSection& e) {
  if (!e.available) return;
  w.gauge("edgeml_emc_load_ratio", "Jetson memory controller (EMC) load, 0..1 (actmon activity / clock).",
          e.load_ratio);
  w.gauge("edgeml_emc_frequency_hertz", "Jetson memory controller (EMC) clock.", e.freq_hz);
  w.gauge("edgeml_emc_frequency_min_hertz", "Jetson EMC lowest allowed clock.", e.min_freq_hz);
  w.gauge("edgeml_emc_frequency_max_hertz", "Jetson EMC highest allowed clock (after the power mode's cap).",
          e.max_freq_hz);
}

void fans(Writer& w, const FanSection& f) {
  if (!f.available) return;
  auto fan = [](const FanReading& x) { return Labels{{"fan", x.fan}}; };
  w.labelled("edgeml_fan_pwm_ratio", "gauge", "Fan PWM duty cycle, 0..1.",
             collect(
                 f.fans, [](const FanReading& x) { return x.pwm_ratio; }, fan));
  w.labelled("edgeml_fan_rpm", "gauge", "Fan speed from its tachometer, revolutions per minute.",
             collect(
                 f.fans, [](const FanReading& x) { return x.rpm; }, fan));
}

void power_mode(Writer& w, const PowerModeSection& p) {
  if (!p.available || !p.id) return;
  w.labelled("edgeml_power_mode_info", "gauge", "The Jetson power mode (nvpmodel) in force; always 1.",
             {{{{"id", std::to_string(*p.id)}, {"name", p.name}}, 1.0}});
  if (p.jetson_clocks_active)
    w.gauge("edgeml_jetson_clocks_active", "1 when jetson_clocks pinned CPU and GPU clocks (min = max = current).",
            flag(*p.jetson_clocks_active));
}

void throttle(Writer& w, const ThrottleSection& t) {
  if (!t.available) return;
  if (t.throttled_now) w.gauge("edgeml_throttled", "1 when any throttle flag is active now.", flag(*t.throttled_now));
  auto labels = [](const ThrottleFlag& f) { return Labels{{"flag", f.flag}, {"source", f.source}}; };
  w.labelled("edgeml_throttle_active", "gauge", "1 while this cause slows the device down.",
             collect(
                 t.flags, [](const ThrottleFlag& f) { return std::optional<double>(flag(f.active_now)); }, labels));
  w.labelled("edgeml_throttle_occurred", "gauge", "1 when this cause has occurred since boot.",
             collect(
                 t.flags, [](const ThrottleFlag& f) { return std::optional<double>(flag(f.occurred)); }, labels));
  w.labelled("edgeml_throttle_events_total", "counter", "Events of this cause since boot, where the source counts.",
             collect(
                 t.flags, [](const ThrottleFlag& f) { return f.events; }, labels));
}

void power_supply(Writer& w, const PowerSupplySection& p) {
  if (!p.available) return;
  // node_exporter's powersupplyclass names and units (Wh, Ah, V, A, W), label power_supply.
  auto ps = [](const auto& x) { return Labels{{"power_supply", x.name}}; };
  auto family = [&](const std::string& name, const std::string& help, auto get) {
    w.labelled(name, "gauge", help, collect(p.batteries, get, ps));
  };
  family("node_power_supply_capacity", "Battery state of charge, percent.",
         [](const BatteryReading& b) { return b.capacity_percent; });
  family("node_power_supply_energy_watthour", "Battery energy now (energy_now).",
         [](const BatteryReading& b) { return b.energy_now_wh; });
  family("node_power_supply_energy_full", "Battery energy when full, watt-hours (energy_full).",
         [](const BatteryReading& b) { return b.energy_full_wh; });
  family("node_power_supply_charge_ampere", "Battery charge now, ampere-hours (charge_now).",
         [](const BatteryReading& b) { return b.charge_now_ah; });
  family("node_power_supply_charge_full", "Battery charge when full, ampere-hours (charge_full).",
         [](const BatteryReading& b) { return b.charge_full_ah; });
  family("node_power_supply_voltage_volt", "Battery voltage now.", [](const BatteryReading& b) { return b.volts; });
  family("node_power_supply_current_ampere", "Battery current now, sign as the driver reports it.",
         [](const BatteryReading& b) { return b.amps; });
  family("node_power_supply_power_watt", "Battery power now, sign as the driver reports it.",
         [](const BatteryReading& b) { return b.watts; });
  w.labelled(
      "node_power_supply_online", "gauge", "1 when this mains/USB supply is connected.",
      collect(
          p.external,
          [](const ExternalSupply& e) { return e.online ? std::optional<double>(flag(*e.online)) : std::nullopt; },
          ps));
  Writer::Samples info;
  for (const auto& b : p.batteries)
    info.push_back({{{"power_supply", b.name}, {"status", b.status}, {"type", "Battery"}}, 1.0});
  for (const auto& e : p.external) info.push_back({{{"power_supply", e.name}, {"type", e.type}}, 1.0});
  w.labelled("node_power_supply_info", "gauge", "Status and type of each power supply; always 1.", info);
  if (p.on_battery)
    w.gauge("edgeml_on_battery", "1 when running on battery (no external supply online).", flag(*p.on_battery));
}

}  // namespace

std::string to_prometheus(const Snapshot& s) {
  Writer w;
  w.gauge("edgeml_uptime_seconds", "Seconds since boot (/proc/uptime).", s.uptime_s);
  if (s.cpu.available) {
    w.gauge("edgeml_cpu_usage_ratio", "Busy share of all cores since the previous sample, 0..1.", s.cpu.usage_ratio);
    if (!s.cpu.per_core_ratio.empty()) {
      w.family("edgeml_cpu_core_usage_ratio", "gauge", "Busy share of one core since the previous sample, 0..1.");
      for (size_t i = 0; i < s.cpu.per_core_ratio.size(); ++i)
        w.sample("edgeml_cpu_core_usage_ratio", s.cpu.per_core_ratio[i], {{"core", std::to_string(i)}});
    }
    w.gauge("edgeml_cpu_cores", "Online CPU cores.", double(s.cpu.cores));
    w.gauge("edgeml_load1", "1-minute load average.", s.cpu.load1);
    w.gauge("edgeml_load5", "5-minute load average.", s.cpu.load5);
    w.gauge("edgeml_load15", "15-minute load average.", s.cpu.load15);
  }
  if (s.memory.available) {
    w.gauge("edgeml_memory_total_bytes", "MemTotal from /proc/meminfo.", s.memory.total_bytes);
    w.gauge("edgeml_memory_available_bytes", "MemAvailable from /proc/meminfo.", s.memory.available_bytes);
  }
  if (s.storage.available) {
    w.gauge("edgeml_storage_total_bytes", "Size of the file system holding the agent state.", s.storage.total_bytes);
    w.gauge("edgeml_storage_free_bytes", "Bytes the agent can still write there.", s.storage.free_bytes);
  }
  if (s.thermal.available) {
    w.family("edgeml_temperature_celsius", "gauge", "Temperature of a thermal zone or hwmon sensor.");
    for (const auto& t : s.thermal.readings)
      w.sample("edgeml_temperature_celsius", t.celsius, {{"sensor", t.sensor}, {"type", t.type}});
  }
  w.gauge("edgeml_power_available", "1 when a power source is measured, 0 when none exists.",
          s.power.available ? 1.0 : 0.0);
  if (s.power.available) {
    bool any = false;
    for (const auto& r : s.power.rails) any = any || r.watts.has_value();
    if (any) {
      w.family("edgeml_power_watts", "gauge", "Power of one rail; total=\"true\" marks the board's total rail.");
      for (const auto& r : s.power.rails)
        if (r.watts)
          w.sample("edgeml_power_watts", *r.watts,
                   {{"rail", r.rail}, {"source", s.power.source}, {"total", r.is_total ? "true" : "false"}});
    }
    w.gauge("edgeml_power_total_watts", "Board (or package) power: the total rail, or the sum of rails.",
            s.power.total_watts);
    // Every rail's voltage and current too, including rails with no power figure (the Pi 5's EXT5V is voltage only).
    auto rail = [&](const PowerRail& r) { return Labels{{"rail", r.rail}, {"source", s.power.source}}; };
    w.labelled("edgeml_power_rail_volts", "gauge", "Voltage of one power rail.",
               collect(
                   s.power.rails, [](const PowerRail& r) { return r.volts; }, rail));
    w.labelled("edgeml_power_rail_amps", "gauge", "Current of one power rail.",
               collect(
                   s.power.rails, [](const PowerRail& r) { return r.amps; }, rail));
  }
  if (s.energy.available)
    if (s.energy.total_joules) {
      w.family("edgeml_energy_joules_total", "counter", "Energy measured since the agent started.");
      w.sample("edgeml_energy_joules_total", *s.energy.total_joules);
    }
  cpu_frequency(w, s.cpu_frequency);
  gpu(w, s.gpu);
  emc(w, s.emc);
  fans(w, s.fans);
  power_mode(w, s.power_mode);
  throttle(w, s.throttle);
  power_supply(w, s.power_supply);
  return w.take();
}

}  // namespace edgeml::telemetry
