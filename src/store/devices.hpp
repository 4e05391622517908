#pragma once
// The devices table: registered agents.
#include <optional>
#include <vector>

#include "store/records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<Device>& devices_table();

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

 private:
  std::optional<Device> one(const std::string& where, const Params& params);
  Database& db_;
};

}  // namespace edgeml::store
