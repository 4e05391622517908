#include "controller/fleet_db.hpp"

#include <set>

#include "common/error.hpp"

namespace edgeml::controller {

namespace {
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

const char* kDeploymentColumns =
    "id, rollout_id, kind, device_id, device_name, device_address, device_type, model_name, status, error, started_at, "
    "finished_at, energy_mwh, energy_source, max_energy, forced, sha256, artifact_file, artifact_source, "
    "predicted_per_inference_mj";

DeploymentRecord read_deployment(Statement& s) {
  DeploymentRecord r;
  r.id = s.integer(0);
  if (!s.is_null(1)) r.rollout_id = s.integer(1);
  r.kind = s.text(2);
  r.device_id = s.integer(3);
  r.device_name = s.text(4);
  r.device_address = s.text(5);
  r.device_type = s.text(6);
  r.model_name = s.text(7);
  r.status = s.text(8);
  r.error = s.text(9);
  r.started_at = s.real(10);
  r.finished_at = s.opt_real(11);
  r.energy_mwh = s.opt_real(12);
  r.energy_source = s.text(13);
  r.max_energy = s.opt_real(14);
  r.forced = s.integer(15) != 0;
  r.sha256 = s.text(16);
  r.artifact_file = s.text(17);
  r.artifact_source = s.text(18);
  r.predicted_per_inference_mj = s.opt_real(19);
  return r;
}

// Binds every column but id, starting at index 1, in kDeploymentColumns order.
void bind_deployment(Statement& s, const DeploymentRecord& r) {
  if (r.rollout_id)
    s.bind(1, *r.rollout_id);
  else
    s.bind_null(1);
  s.bind(2, r.kind).bind(3, r.device_id).bind(4, r.device_name).bind(5, r.device_address).bind(6, r.device_type);
  s.bind(7, r.model_name).bind(8, r.status).bind(9, r.error).bind(10, r.started_at).bind(11, r.finished_at);
  s.bind(12, r.energy_mwh).bind(13, r.energy_source).bind(14, r.max_energy).bind(15, r.forced ? 1 : 0);
  s.bind(16, r.sha256).bind(17, r.artifact_file).bind(18, r.artifact_source).bind(19, r.predicted_per_inference_mj);
}

Device read_device(Statement& s) {
  Device d;
  d.id = s.integer(0);
  d.name = s.text(1);
  d.address = s.text(2);
  d.device_type = s.text(3);
  d.token = s.text(4);
  d.created_at = s.real(5);
  d.last_seen = s.opt_real(6);
  d.online = s.integer(7) != 0;
  d.last_error = s.text(8);
  return d;
}
const char* kDeviceColumns = "id, name, address, device_type, token, created_at, last_seen, online, last_error";

// Every column of a sample, in read_sample's order (averaged per time bucket in the downsampled forms).
const char* kSampleColumns =
    "device_id, t, cpu_ratio, memory_ratio, temp_c, power_w, energy_per_inference_j, active_model, storage_ratio, "
    "inference_rate, inference_p50_s";
const char* kSampleAverages =
    "device_id, MIN(t), AVG(cpu_ratio), AVG(memory_ratio), AVG(temp_c), AVG(power_w), AVG(energy_per_inference_j), "
    "MAX(active_model), AVG(storage_ratio), AVG(inference_rate), AVG(inference_p50_s)";

TelemetrySample read_sample(Statement& s) {
  TelemetrySample t;
  t.device_id = s.integer(0);
  t.t = s.real(1);
  t.cpu_ratio = s.opt_real(2);
  t.memory_ratio = s.opt_real(3);
  t.temp_c = s.opt_real(4);
  t.power_w = s.opt_real(5);
  t.energy_per_inference_j = s.opt_real(6);
  t.active_model = s.text(7);
  t.storage_ratio = s.opt_real(8);
  t.inference_rate = s.opt_real(9);
  t.inference_p50_s = s.opt_real(10);
  return t;
}
}  // namespace

FleetDb::FleetDb(const std::filesystem::path& file) : db_(file) { migrate(); }

void FleetDb::migrate() {
  db_.exec(R"(
    CREATE TABLE IF NOT EXISTS devices (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, address TEXT NOT NULL, device_type TEXT NOT NULL,
      token TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, last_seen REAL, online INTEGER NOT NULL DEFAULT 0,
      last_error TEXT NOT NULL DEFAULT '');
    CREATE TABLE IF NOT EXISTS deployments (
      id INTEGER PRIMARY KEY, rollout_id INTEGER, kind TEXT NOT NULL, device_id INTEGER NOT NULL,
      device_name TEXT NOT NULL, device_address TEXT NOT NULL, device_type TEXT NOT NULL, model_name TEXT NOT NULL,
      status TEXT NOT NULL, error TEXT NOT NULL DEFAULT '', started_at REAL NOT NULL, finished_at REAL,
      energy_mwh REAL, energy_source TEXT NOT NULL DEFAULT '', max_energy REAL, forced INTEGER NOT NULL DEFAULT 0,
      sha256 TEXT NOT NULL DEFAULT '', artifact_file TEXT NOT NULL DEFAULT '', artifact_source TEXT NOT NULL DEFAULT '',
      predicted_per_inference_mj REAL);
    CREATE TABLE IF NOT EXISTS deployment_steps (
      deployment_id INTEGER NOT NULL REFERENCES deployments(id), seq INTEGER NOT NULL, name TEXT NOT NULL,
      status TEXT NOT NULL, started_at REAL NOT NULL, duration_s REAL NOT NULL, detail TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (deployment_id, seq));
    CREATE TABLE IF NOT EXISTS telemetry (
      device_id INTEGER NOT NULL, t REAL NOT NULL, cpu_ratio REAL, memory_ratio REAL, temp_c REAL, power_w REAL,
      energy_per_inference_j REAL, active_model TEXT NOT NULL DEFAULT '', downsampled INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS telemetry_by_device_time ON telemetry(device_id, t);
  )");
  // Columns added after the first release: an existing database gains them, keeping its rows.
  std::set<std::string> have;
  for (auto info = db_.prepare("PRAGMA table_info(telemetry)"); info.step();) have.insert(info.text(1));
  for (const char* col : {"storage_ratio", "inference_rate", "inference_p50_s"})
    if (!have.count(col)) db_.exec(std::string("ALTER TABLE telemetry ADD COLUMN ") + col + " REAL");
}

Device FleetDb::add_device(Device d) {
  std::lock_guard lock(mu_);
  {
    auto s = db_.prepare("SELECT 1 FROM devices WHERE name = ?");
    s.bind(1, d.name);
    if (s.step()) throw Error(ErrorKind::conflict, "a device named '" + d.name + "' is already registered", "name");
  }
  auto s = db_.prepare("INSERT INTO devices (name, address, device_type, token, created_at) VALUES (?, ?, ?, ?, ?)");
  s.bind(1, d.name).bind(2, d.address).bind(3, d.device_type).bind(4, d.token).bind(5, d.created_at).run();
  d.id = db_.last_insert_id();
  return d;
}

std::vector<Device> FleetDb::devices() {
  std::lock_guard lock(mu_);
  std::vector<Device> out;
  auto s = db_.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices ORDER BY id");
  while (s.step()) out.push_back(read_device(s));
  return out;
}

std::optional<Device> FleetDb::device(long long id) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE id = ?");
  s.bind(1, id);
  if (s.step()) return read_device(s);
  return std::nullopt;
}

std::optional<Device> FleetDb::device_by_name(const std::string& name) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE name = ?");
  s.bind(1, name);
  if (s.step()) return read_device(s);
  return std::nullopt;
}

std::optional<Device> FleetDb::device_by_address(const std::string& address) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE address = ? ORDER BY id");
  s.bind(1, address);
  if (s.step()) return read_device(s);
  return std::nullopt;
}

void FleetDb::mark_seen(long long id, double t) {
  std::lock_guard lock(mu_);
  db_.prepare("UPDATE devices SET last_seen = ?, online = 1, last_error = '' WHERE id = ?")
      .bind(1, t)
      .bind(2, id)
      .run();
}

void FleetDb::mark_unreachable(long long id, const std::string& error) {
  std::lock_guard lock(mu_);
  db_.prepare("UPDATE devices SET online = 0, last_error = ? WHERE id = ?").bind(1, error).bind(2, id).run();
}

long long FleetDb::begin(const DeploymentRecord& r) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(std::string("INSERT INTO deployments (") + (kDeploymentColumns + 4) +
                       ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  bind_deployment(s, r);
  s.run();
  return db_.last_insert_id();
}

void FleetDb::update(const DeploymentRecord& r) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(
      "UPDATE deployments SET rollout_id=?, kind=?, device_id=?, device_name=?, device_address=?, device_type=?, "
      "model_name=?, status=?, error=?, started_at=?, finished_at=?, energy_mwh=?, energy_source=?, max_energy=?, "
      "forced=?, sha256=?, artifact_file=?, artifact_source=?, predicted_per_inference_mj=? WHERE id=?");
  bind_deployment(s, r);
  s.bind(20, r.id);
  s.run();
}

void FleetDb::add_step(long long id, const StepRecord& st) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(
      "INSERT INTO deployment_steps (deployment_id, seq, name, status, started_at, duration_s, detail) "
      "VALUES (?, (SELECT COUNT(*) FROM deployment_steps WHERE deployment_id = ?), ?, ?, ?, ?, ?)");
  s.bind(1, id).bind(2, id).bind(3, st.name).bind(4, st.status).bind(5, st.started_at).bind(6, st.duration_s);
  s.bind(7, st.detail).run();
}

std::optional<DeploymentRecord> FleetDb::deployment(long long id) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(std::string("SELECT ") + kDeploymentColumns + " FROM deployments WHERE id = ?");
  s.bind(1, id);
  if (s.step()) return read_deployment(s);
  return std::nullopt;
}

std::vector<StepRecord> FleetDb::steps(long long id) {
  std::lock_guard lock(mu_);
  std::vector<StepRecord> out;
  auto s = db_.prepare(
      "SELECT name, status, detail, started_at, duration_s FROM deployment_steps WHERE deployment_id = ? ORDER BY seq");
  s.bind(1, id);
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.real(3), s.real(4)});
  return out;
}

std::vector<DeploymentRecord> FleetDb::recent(int limit) {
  std::lock_guard lock(mu_);
  std::vector<DeploymentRecord> out;
  auto s = db_.prepare(std::string("SELECT ") + kDeploymentColumns + " FROM deployments ORDER BY id DESC LIMIT ?");
  s.bind(1, limit);
  while (s.step()) out.push_back(read_deployment(s));
  return out;
}

long long FleetDb::next_rollout_id() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT COALESCE(MAX(rollout_id), 0) + 1 FROM deployments");
  s.step();
  return s.integer(0);
}

int FleetDb::mark_interrupted(double now) {
  std::lock_guard lock(mu_);
  db_.prepare(
         "UPDATE deployments SET status = 'interrupted', finished_at = ?, "
         "error = 'the controller stopped while this deployment was running' WHERE status = 'running'")
      .bind(1, now)
      .run();
  return db_.changes();
}

std::optional<DeploymentRecord> FleetDb::last_succeeded(long long device_id) {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(std::string("SELECT ") + kDeploymentColumns +
                       " FROM deployments WHERE device_id = ? AND kind = 'deploy' AND status = 'succeeded' "
                       "ORDER BY id DESC LIMIT 1");
  s.bind(1, device_id);
  if (s.step()) return read_deployment(s);
  return std::nullopt;
}

void FleetDb::add_samples(const std::vector<TelemetrySample>& samples) {
  if (samples.empty()) return;
  std::lock_guard lock(mu_);
  db_.exec("BEGIN");
  try {
    auto s = db_.prepare(std::string("INSERT INTO telemetry (") + kSampleColumns +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& x : samples) {
      s.bind(1, x.device_id).bind(2, x.t).bind(3, x.cpu_ratio).bind(4, x.memory_ratio).bind(5, x.temp_c);
      s.bind(6, x.power_w).bind(7, x.energy_per_inference_j).bind(8, x.active_model).bind(9, x.storage_ratio);
      s.bind(10, x.inference_rate).bind(11, x.inference_p50_s);
      s.run();
      s.reset();
    }
    // A device that answered is online and seen now.
    auto seen = db_.prepare("UPDATE devices SET last_seen = ?, online = 1, last_error = '' WHERE id = ?");
    for (const auto& x : samples) {
      seen.bind(1, x.t).bind(2, x.device_id).run();
      seen.reset();
    }
    db_.exec("COMMIT");
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
}

std::vector<TelemetrySample> FleetDb::samples(long long device_id, double since, double until, double step) {
  std::lock_guard lock(mu_);
  std::vector<TelemetrySample> out;
  std::string sql = step > 0 ? std::string("SELECT ") + kSampleAverages +
                                   " FROM telemetry WHERE device_id = ? AND t >= ? AND t < ? "
                                   "GROUP BY CAST(t / ? AS INTEGER) ORDER BY MIN(t) LIMIT 100000"
                             : std::string("SELECT ") + kSampleColumns +
                                   " FROM telemetry WHERE device_id = ? AND t >= ? AND t < ? ORDER BY t LIMIT 100000";
  auto s = db_.prepare(sql);
  s.bind(1, device_id).bind(2, since).bind(3, until);
  if (step > 0) s.bind(4, step);
  while (s.step()) out.push_back(read_sample(s));
  return out;
}

std::optional<TelemetrySample> FleetDb::latest_with_energy(long long device_id, const std::string& model) {
  std::lock_guard lock(mu_);
  auto s =
      db_.prepare(std::string("SELECT ") + kSampleColumns +
                  " FROM telemetry WHERE device_id = ? AND active_model = ? AND energy_per_inference_j IS NOT NULL "
                  "ORDER BY t DESC LIMIT 1");
  s.bind(1, device_id).bind(2, model);
  if (s.step()) return read_sample(s);
  return std::nullopt;
}

void FleetDb::apply_retention(double now, double keep_s, double raw_s) {
  std::lock_guard lock(mu_);
  db_.exec("BEGIN");
  try {
    db_.prepare("DELETE FROM telemetry WHERE t < ?").bind(1, now - keep_s).run();
    double cutoff = now - raw_s;
    db_.prepare(std::string("INSERT INTO telemetry (") + kSampleColumns +
                ", downsampled) SELECT device_id, CAST(t / 60 AS INTEGER) * 60, AVG(cpu_ratio), AVG(memory_ratio), "
                "AVG(temp_c), AVG(power_w), AVG(energy_per_inference_j), MAX(active_model), AVG(storage_ratio), "
                "AVG(inference_rate), AVG(inference_p50_s), 1 "
                "FROM telemetry WHERE downsampled = 0 AND t < ? GROUP BY device_id, CAST(t / 60 AS INTEGER)")
        .bind(1, cutoff)
        .run();
    db_.prepare("DELETE FROM telemetry WHERE downsampled = 0 AND t < ?").bind(1, cutoff).run();
    db_.exec("COMMIT");
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
}

nlohmann::json to_json(const Device& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"address", d.address},
          {"device_type", d.device_type},
          {"has_token", !d.token.empty()},
          {"created_at", d.created_at},
          {"last_seen", opt(d.last_seen)},
          {"status", d.online ? "online" : "offline"},
          {"online", d.online},
          {"last_error", d.last_error.empty() ? nlohmann::json() : nlohmann::json(d.last_error)}};
}

nlohmann::json to_json(const DeploymentRecord& r, const std::vector<StepRecord>& steps) {
  nlohmann::json st = nlohmann::json::array();
  for (const auto& s : steps)
    st.push_back({{"name", s.name},
                  {"status", s.status},
                  {"started_at", s.started_at},
                  {"duration_s", s.duration_s},
                  {"detail", s.detail}});
  return {{"deployment_id", r.id},
          {"rollout_id", r.rollout_id ? nlohmann::json(*r.rollout_id) : nlohmann::json()},
          {"kind", r.kind},
          {"device_id", r.device_id},
          {"device", r.device_name},
          {"device_ip", r.device_address},
          {"device_type", r.device_type},
          {"model", r.model_name},
          {"status", r.status},
          {"error", r.error.empty() ? nlohmann::json() : nlohmann::json(r.error)},
          {"started_at", r.started_at},
          {"finished_at", opt(r.finished_at)},
          {"duration_s", r.finished_at ? nlohmann::json(*r.finished_at - r.started_at) : nlohmann::json()},
          {"energy_mwh", opt(r.energy_mwh)},
          {"energy_source", r.energy_source},
          {"max_energy", opt(r.max_energy)},
          {"force", r.forced},
          {"sha256", r.sha256},
          {"artifact_file", r.artifact_file},
          {"artifact_source", r.artifact_source},
          {"predicted_energy_per_inference_mj", opt(r.predicted_per_inference_mj)},
          {"steps", st}};
}

nlohmann::json to_json(const TelemetrySample& s) {
  return {{"t", s.t},
          {"cpu_usage_ratio", opt(s.cpu_ratio)},
          {"memory_used_ratio", opt(s.memory_ratio)},
          {"temperature_c", opt(s.temp_c)},
          {"power_w", opt(s.power_w)},
          {"energy_per_inference_j", opt(s.energy_per_inference_j)},
          {"storage_used_ratio", opt(s.storage_ratio)},
          {"inference_per_s", opt(s.inference_rate)},
          {"inference_latency_p50_s", opt(s.inference_p50_s)},
          {"active_model", s.active_model}};
}

}  // namespace edgeml::controller
