#include "telemetry/prometheus.hpp"

#include <cstdio>
#include <utility>
#include <vector>

namespace edgeml::telemetry {

namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

using Labels = std::vector<std::pair<std::string, std::string>>;

class Writer {
 public:
  // One family: HELP and TYPE once, then its samples.
  void family(const std::string& name, const std::string& type, const std::string& help) {
    out_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const std::string& name, double v, const Labels& labels = {}) {
    out_ += name;
    if (!labels.empty()) {
      out_ += "{";
      for (size_t i = 0; i < labels.size(); ++i)
        out_ += (i ? "," : "") + labels[i].first + "=\"" + escape_label(labels[i].second) + "\"";
      out_ += "}";
    }
    out_ += " " + number(v) + "\n";
  }
  void gauge(const std::string& name, const std::string& help, const std::optional<double>& v) {
    if (!v) return;
    family(name, "gauge", help);
    sample(name, *v);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

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
  }
  if (s.energy.available)
    if (s.energy.total_joules) {
      w.family("edgeml_energy_joules_total", "counter", "Energy measured since the agent started.");
      w.sample("edgeml_energy_joules_total", *s.energy.total_joules);
    }
  return w.take();
}

}  // namespace edgeml::telemetry
