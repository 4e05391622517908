#include "store/devices.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace edgeml::store {

const Table<Device>& devices_table() {
  static const Table<Device> t(
      "devices", {id_column(&Device::id), column("name", &Device::name, "NOT NULL UNIQUE"),
                  column("address", &Device::address, "NOT NULL"),
                  column("device_type", &Device::device_type, "NOT NULL"), column("token", &Device::token),
                  column("created_at", &Device::created_at, "NOT NULL"), column("last_seen", &Device::last_seen),
                  column("online", &Device::online), column("last_error", &Device::last_error),
                  column("transport", &Device::transport, "NOT NULL DEFAULT 'lan'"), column("tags", &Device::tags),
                  column("group_name", &Device::group_name), column("deleted_at", &Device::deleted_at)});
  return t;
}

Device DeviceStore::add(Device d) {
  const auto& t = devices_table();
  db_.with([&](Connection& c) {
    if (!c.query("SELECT 1 FROM devices WHERE name = ?", {d.name}).empty())
      throw Error(ErrorKind::conflict, "a device named '" + d.name + "' is already registered", "name");
    try {
      Device stored = d;
      if (sealer_ && !d.token.empty()) stored.token = sealer_->seal(d.token);
      d.id = c.query(t.insert_sql(), t.insert_params(stored)).at(0).integer(0);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::conflict)
        throw Error(ErrorKind::conflict, "a device named '" + d.name + "' is already registered", "name");
      throw;
    }
  });
  return d;
}

std::vector<Device> DeviceStore::all() {
  const auto& t = devices_table();
  auto list = db_.read<std::vector<Device>>(
      [&](Connection& c) { return t.read_all(c.query(t.select("WHERE deleted_at IS NULL ORDER BY id"))); });
  for (auto& d : list) d = opened(std::move(d));
  return list;
}

std::optional<Device> DeviceStore::one(const std::string& where, const Params& params) {
  const auto& t = devices_table();
  return db_.read<std::optional<Device>>([&](Connection& c) -> std::optional<Device> {
    auto rows = c.query(t.select(where + " AND deleted_at IS NULL ORDER BY id LIMIT 1"), params);
    if (rows.empty()) return std::nullopt;
    return opened(t.read(rows[0]));
  });
}

std::optional<Device> DeviceStore::by_id(long long id) { return one("WHERE id = ?", {id}); }
std::optional<Device> DeviceStore::by_name(const std::string& name) { return one("WHERE name = ?", {name}); }
std::optional<Device> DeviceStore::by_address(const std::string& address) {
  return one("WHERE address = ?", {address});
}

void DeviceStore::mark_seen(long long id, double t) {
  db_.with([&](Connection& c) {
    c.execute("UPDATE devices SET last_seen = ?, online = 1, last_error = '' WHERE id = ?", {t, id});
  });
}

void DeviceStore::mark_unreachable(long long id, const std::string& error) {
  db_.with([&](Connection& c) {
    c.execute("UPDATE devices SET online = 0, last_error = ? WHERE id = ?", {error, id});
  });
}

Device DeviceStore::update(const Device& d) {
  std::string stored = sealer_ && !d.token.empty() ? sealer_->seal(d.token) : d.token;  // sealed as add() does
  db_.with([&](Connection& c) {
    auto taken = [&] {
      return Error(ErrorKind::conflict, "a device named '" + d.name + "' is already registered", "name");
    };
    if (!c.query("SELECT 1 FROM devices WHERE name = ? AND id <> ?", {d.name, d.id}).empty()) throw taken();
    long long changed = 0;
    try {
      changed = c.execute(
          "UPDATE devices SET name = ?, address = ?, device_type = ?, token = ?, tags = ?, group_name = ? "
          "WHERE id = ? AND deleted_at IS NULL",
          {d.name, d.address, d.device_type, stored, d.tags, d.group_name, d.id});
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::conflict) throw taken();
      throw;
    }
    if (changed == 0) throw NotFoundError("no registered device " + std::to_string(d.id), "id");
  });
  return *by_id(d.id);
}

std::vector<std::string> split_tags(const std::string& stored) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= stored.size()) {
    size_t comma = stored.find(',', start);
    if (comma == std::string::npos) comma = stored.size();
    if (comma > start) out.push_back(stored.substr(start, comma - start));
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string join_tags(std::vector<std::string> tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  std::string out;
  for (const auto& t : tags)
    if (!t.empty()) out += (out.empty() ? "" : ",") + t;
  return out;
}

Device DeviceStore::opened(Device d) const {
  if (!sealer_ || d.token.empty() || !sealer_->is_sealed(d.token)) return d;
  try {
    d.token = sealer_->unseal(d.token);
  } catch (const Error& e) {
    d.token.clear();
    d.last_error = std::string("the controller's token for this device cannot be used: ") + e.what();
  }
  return d;
}

int DeviceStore::seal_stored_tokens() {
  if (!sealer_) return 0;
  int n = 0;
  db_.transaction([&](Connection& c) {
    for (const auto& row : c.query("SELECT id, token FROM devices WHERE token <> ''")) {
      std::string token = row.text(1);
      if (sealer_->is_sealed(token)) continue;
      c.execute("UPDATE devices SET token = ? WHERE id = ?", {sealer_->seal(token), row.integer(0)});
      ++n;
    }
  });
  return n;
}

void DeviceStore::set_token(long long id, const std::string& token) {
  std::string stored = sealer_ && !token.empty() ? sealer_->seal(token) : token;
  db_.with([&](Connection& c) { c.execute("UPDATE devices SET token = ? WHERE id = ?", {stored, id}); });
}

}  // namespace edgeml::store
