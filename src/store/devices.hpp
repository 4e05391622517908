#pragma once
// The devices table: registered agents.
#include <optional>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "store/table.hpp"
#include "store/token_sealer.hpp"

namespace edgeml::store {

const Table<Device>& devices_table();

// Device.tags as stored ("a,b") and as the API lists them (["a", "b"]): sorted, no duplicates, no empty ones.
std::vector<std::string> split_tags(const std::string& stored);
std::string join_tags(std::vector<std::string> tags);

class DeviceStore {
 public:
  explicit DeviceStore(Database& db) : db_(db) {}
  // Error(conflict, field "name") when the name is taken.
  Device add(Device d);
  std::vector<Device> all();
  std::optional<Device> by_id(long long id);
  std::optional<Device> by_name(const std::string& name);
  std::optional<Device> by_address(const std::string& address);
  void mark_seen(long long id, double t);
  void mark_unreachable(long long id, const std::string& error);
  // Writes what a user may change (name, address, device_type, token, tags, group_name); the poller's fields
  // (last_seen, online, last_error) stay. Error(conflict, field "name") when another device has the name,
  // NotFoundError("id") when the device is gone.
  Device update(const Device& d);
  // Tokens are sealed on the way in and opened on the way out from now on (token_sealer.hpp); records keep the plain
  // token in memory only. A token that does not open reads as "" with the reason in last_error.
  void use_sealer(const TokenSealer* sealer) { sealer_ = sealer; }
  // Seals the tokens stored in plain text by a controller without a sealer; returns how many.
  int seal_stored_tokens();
  void set_token(long long id, const std::string& token);

 private:
  std::optional<Device> one(const std::string& where, const Params& params);
  Device opened(Device d) const;
  Database& db_;
  const TokenSealer* sealer_ = nullptr;
};

}  // namespace edgeml::store
