#include "store/telemetry.hpp"

#include <algorithm>
#include <map>

namespace edgeml::store {

const Table<TelemetrySample>& telemetry_table() {
  using S = TelemetrySample;
  static const Table<S> t(
      "telemetry",
      {column("device_id", &S::device_id, "NOT NULL"), column("t", &S::t, "NOT NULL"),
       column("cpu_ratio", &S::cpu_ratio), column("memory_ratio", &S::memory_ratio), column("temp_c", &S::temp_c),
       column("power_w", &S::power_w), column("energy_per_inference_j", &S::energy_per_inference_j),
       column("active_model", &S::active_model), column("downsampled", &S::downsampled),
       column("storage_ratio", &S::storage_ratio), column("inference_rate", &S::inference_rate),
       column("inference_p50_s", &S::inference_p50_s), column("stream", &S::stream, ""), column("seq", &S::seq),
       column("idle_power_w", &S::idle_power_w), column("duty_cycle", &S::duty_cycle),
       column("energy_per_hour_mwh", &S::energy_per_hour_mwh)});
  return t;
}

namespace {
// The select list with every measured column averaged (time buckets of a downsampled read or of retention).
std::string averaged(const std::string& time_expr) {
  std::string s;
  for (const auto& c : telemetry_table().columns()) {
    std::string e;
    if (c.name == "device_id")
      e = "device_id";
    else if (c.name == "t")
      e = time_expr;
    else if (c.name == "active_model")
      e = "MAX(active_model)";
    else if (c.name == "downsampled")
      e = "1";
    else if (c.name == "stream" || c.name == "seq")
      e = "NULL";  // an average is no one sample: outside de-duplication
    else
      e = "AVG(" + c.name + ")";
    s += (s.empty() ? "" : ", ") + e;
  }
  return s;
}
}  // namespace

void TelemetryStore::add(const std::vector<TelemetrySample>& samples) {
  if (samples.empty()) return;
  const auto& t = telemetry_table();
  std::vector<Params> rows, seen;
  for (const auto& s : samples) {
    rows.push_back(t.insert_params(s));
    seen.push_back({s.t, s.device_id});
  }
  db_.transaction([&](Connection& c) {
    c.execute_many(t.insert_sql(), rows);
    c.execute_many("UPDATE devices SET last_seen = ?, online = 1, last_error = '' WHERE id = ?", seen);
  });
}

std::vector<bool> TelemetryStore::add_sequenced(const std::vector<TelemetrySample>& samples) {
  std::vector<bool> added(samples.size(), false);
  if (samples.empty()) return added;
  const auto& t = telemetry_table();
  std::string insert = t.insert_sql("ON CONFLICT DO NOTHING");
  std::map<long long, double> newest;
  for (const auto& s : samples) newest[s.device_id] = std::max(newest[s.device_id], s.t);
  db_.transaction([&](Connection& c) {
    for (size_t i = 0; i < samples.size(); ++i) added[i] = c.execute(insert, t.insert_params(samples[i])) > 0;
    std::vector<Params> seen;
    for (const auto& [device, time] : newest) seen.push_back({time, device});
    // Presence of an MQTT device comes from its status messages (a late batch must not mark it online).
    c.execute_many("UPDATE devices SET last_seen = ? WHERE id = ?", seen);
  });
  return added;
}

long long TelemetryStore::count_sequenced(long long device_id, const std::string& stream, long long first,
                                          long long last) {
  return db_.read<long long>([&](Connection& c) {
    return c
        .query("SELECT COUNT(*) FROM telemetry WHERE device_id = ? AND stream = ? AND seq >= ? AND seq <= ?",
               {device_id, stream, first, last})
        .at(0)
        .integer(0);
  });
}

std::vector<TelemetrySample> TelemetryStore::range(long long device_id, double since, double until, double step) {
  const auto& t = telemetry_table();
  return db_.read<std::vector<TelemetrySample>>([&](Connection& c) {
    if (step <= 0)
      return t.read_all(c.query(t.select("WHERE device_id = ? AND t >= ? AND t < ? ORDER BY t LIMIT 100000"),
                                {device_id, since, until}));
    std::string sql = "SELECT " + averaged("MIN(t)") +
                      " FROM telemetry WHERE device_id = ? AND t >= ? AND t < ? GROUP BY device_id, " +
                      floor_div(c.dialect(), "t", "?") + " ORDER BY MIN(t) LIMIT 100000";
    return t.read_all(c.query(sql, {device_id, since, until, step}));
  });
}

std::optional<TelemetrySample> TelemetryStore::latest_with_energy(long long device_id, const std::string& model) {
  const auto& t = telemetry_table();
  return db_.read<std::optional<TelemetrySample>>([&](Connection& c) -> std::optional<TelemetrySample> {
    auto rows = c.query(t.select("WHERE device_id = ? AND active_model = ? AND energy_per_inference_j IS NOT NULL "
                                 "ORDER BY t DESC LIMIT 1"),
                        {device_id, model});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

void TelemetryStore::apply_retention(double now, double keep_s, double raw_s) {
  const auto& t = telemetry_table();
  db_.transaction([&](Connection& c) {
    c.execute("DELETE FROM telemetry WHERE t < ?", {now - keep_s});
    double cutoff = now - raw_s;
    std::string minute = floor_div(c.dialect(), "t", "60");
    c.execute("INSERT INTO telemetry (" + t.select_list() + ") SELECT " + averaged(minute + " * 60") +
                  " FROM telemetry WHERE downsampled = 0 AND t < ? GROUP BY device_id, " + minute,
              {cutoff});
    c.execute("DELETE FROM telemetry WHERE downsampled = 0 AND t < ?", {cutoff});
  });
}

}  // namespace edgeml::store
