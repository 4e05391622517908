#include "store/devices.hpp"

#include "common/error.hpp"

namespace edgeml::store {

const Table<Device>& devices_table() {
  static const Table<Device> t(
      "devices",
      {id_column(&Device::id), column("name", &Device::name, "NOT NULL UNIQUE"),
       column("address", &Device::address, "NOT NULL"), column("device_type", &Device::device_type, "NOT NULL"),
       column("token", &Device::token), column("created_at", &Device::created_at, "NOT NULL"),
       column("last_seen", &Device::last_seen), column("online", &Device::online),
       column("last_error", &Device::last_error), column("transport", &Device::transport, "NOT NULL DEFAULT 'lan'")});
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
  auto list =
      db_.read<std::vector<Device>>([&](Connection& c) { return t.read_all(c.query(t.select("ORDER BY id"))); });
  for (auto& d : list) d = opened(std::move(d));
  return list;
}

std::optional<Device> DeviceStore::one(const std::string& where, const Params& params) {
  const auto& t = devices_table();
  return db_.read<std::optional<Device>>([&](Connection& c) -> std::optional<Device> {
    auto rows = c.query(t.select(where + " ORDER BY id LIMIT 1"), params);
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
