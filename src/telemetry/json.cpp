#include "telemetry/json.hpp"

namespace edgeml::telemetry {

namespace {
using nlohmann::json;

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json section(const Availability& a) {
  json j{{"available", a.available}};
  if (a.available)
    j["source"] = a.source;
  else
    j["reason"] = a.reason;
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
  return out;
}

}  // namespace edgeml::telemetry
