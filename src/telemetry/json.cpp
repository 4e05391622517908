#include "telemetry/json.hpp"

namespace edgeml::telemetry {

namespace {
using nlohmann::json;

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json opt(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); }

json section(const Availability& a) {
  json j{{"available", a.available}};
  if (a.available)
    j["source"] = a.source;
  else
    j["reason"] = a.reason;
  // Series of an available section that are null, each with why (kept out when every series is there).
  if (a.available && !a.unavailable_series.empty()) j["unavailable"] = a.unavailable_series;
  return j;
}

json cpu_frequency(const CpuFrequencySection& f) {
  json j = section(f);
  if (!f.available) return j;
  json cores = json::array();
  for (const auto& c : f.cores)
    cores.push_back({{"core", c.core},
                     {"online", c.online},
                     {"hz", opt(c.hz)},
                     {"min_hz", opt(c.min_hz)},
                     {"max_hz", opt(c.max_hz)},
                     {"governor", c.governor}});
  j["cores"] = cores;
  return j;
}

json gpu(const GpuSection& g) {
  json j = section(g);
  if (!g.available) return j;
  j["name"] = g.name;
  j["load_ratio"] = opt(g.load_ratio);
  j["freq_hz"] = opt(g.freq_hz);
  j["min_freq_hz"] = opt(g.min_freq_hz);
  j["max_freq_hz"] = opt(g.max_freq_hz);
  j["governor"] = g.governor;
  return j;
}

json emc(const EmcSection& e) {
  json j = section(e);
  if (!e.available) return j;
  j["freq_hz"] = opt(e.freq_hz);
  j["min_freq_hz"] = opt(e.min_freq_hz);
  j["max_freq_hz"] = opt(e.max_freq_hz);
  j["load_ratio"] = opt(e.load_ratio);
  return j;
}

json fans(const FanSection& f) {
  json j = section(f);
  if (!f.available) return j;
  json list = json::array();
  for (const auto& x : f.fans) list.push_back({{"fan", x.fan}, {"pwm_ratio", opt(x.pwm_ratio)}, {"rpm", opt(x.rpm)}});
  j["fans"] = list;
  return j;
}

json power_mode(const PowerModeSection& p) {
  json j = section(p);
  if (!p.available) return j;
  j["id"] = opt(p.id);
  j["name"] = p.name;
  j["default_id"] = opt(p.default_id);
  j["jetson_clocks_active"] = opt(p.jetson_clocks_active);
  return j;
}

json throttle(const ThrottleSection& t) {
  json j = section(t);
  if (!t.available) return j;
  j["throttled_now"] = opt(t.throttled_now);
  json flags = json::array();
  for (const auto& f : t.flags)
    flags.push_back({{"flag", f.flag},
                     {"source", f.source},
                     {"active_now", f.active_now},
                     {"occurred", f.occurred},
                     {"events", opt(f.events)}});
  j["flags"] = flags;
  return j;
}

json power_supply(const PowerSupplySection& p) {
  json j = section(p);
  if (!p.available) return j;
  json batteries = json::array();
  for (const auto& b : p.batteries)
    batteries.push_back({{"name", b.name},
                         {"status", b.status},
                         {"capacity_percent", opt(b.capacity_percent)},
                         {"energy_now_wh", opt(b.energy_now_wh)},
                         {"energy_full_wh", opt(b.energy_full_wh)},
                         {"charge_now_ah", opt(b.charge_now_ah)},
                         {"charge_full_ah", opt(b.charge_full_ah)},
                         {"volts", opt(b.volts)},
                         {"amps", opt(b.amps)},
                         {"watts", opt(b.watts)}});
  j["batteries"] = batteries;
  json external = json::array();
  for (const auto& e : p.external) external.push_back({{"name", e.name}, {"type", e.type}, {"online", opt(e.online)}});
  j["external"] = external;
  j["on_battery"] = opt(p.on_battery);
  return j;
}
}  // namespace

json to_json(const Snapshot& s) {
  json out{{"timestamp_s", s.timestamp_s}, {"uptime_s", opt(s.uptime_s)}};

  json cpu = section(s.cpu);
  if (s.cpu.available) {
    cpu["cores"] = s.cpu.cores;
    cpu["usage_ratio"] = opt(s.cpu.usage_ratio);  // null on the first sample: a ratio needs two reads
    cpu["per_core_usage_ratio"] = s.cpu.per_core_ratio;
    cpu["load1"] = opt(s.cpu.load1);
    cpu["load5"] = opt(s.cpu.load5);
    cpu["load15"] = opt(s.cpu.load15);
  }
  out["cpu"] = cpu;

  json mem = section(s.memory);
  if (s.memory.available) {
    mem["total_bytes"] = s.memory.total_bytes;
    mem["available_bytes"] = s.memory.available_bytes;
    mem["used_ratio"] = s.memory.used_ratio;
  }
  out["memory"] = mem;

  json st = section(s.storage);
  st["path"] = s.storage.path;
  if (s.storage.available) {
    st["total_bytes"] = s.storage.total_bytes;
    st["free_bytes"] = s.storage.free_bytes;
    st["used_ratio"] = s.storage.used_ratio;
  }
  out["storage"] = st;

  json th = section(s.thermal);
  if (s.thermal.available) {
    th["max_celsius"] = opt(s.thermal.max_celsius);
    json sensors = json::array();
    for (const auto& r : s.thermal.readings)
      sensors.push_back({{"sensor", r.sensor}, {"type", r.type}, {"celsius", r.celsius}});
    th["sensors"] = sensors;
  }
  out["thermal"] = th;

  json pw = section(s.power);
  if (s.power.available) {
    pw["total_watts"] = opt(s.power.total_watts);
    pw["total_method"] = s.power.total_method;
    json rails = json::array();
    for (const auto& r : s.power.rails)
      rails.push_back({{"rail", r.rail},
                       {"watts", opt(r.watts)},
                       {"volts", opt(r.volts)},
                       {"amps", opt(r.amps)},
                       {"is_total", r.is_total}});
    pw["rails"] = rails;
  }
  out["power"] = pw;

  json en = section(s.energy);
  if (s.energy.available) {
    en["total_joules"] = opt(s.energy.total_joules);
    en["method"] = s.energy.method;
  }
  out["energy"] = en;

  out["cpu_frequency"] = cpu_frequency(s.cpu_frequency);
  out["gpu"] = gpu(s.gpu);
  out["emc"] = emc(s.emc);
  out["fans"] = fans(s.fans);
  out["power_mode"] = power_mode(s.power_mode);
  out["throttle"] = throttle(s.throttle);
  out["power_supply"] = power_supply(s.power_supply);
  return out;
}

}  // namespace edgeml::telemetry
