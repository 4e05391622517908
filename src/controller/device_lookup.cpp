#include "controller/device_lookup.hpp"

#include "catalog/device_profile.hpp"
#include "common/error.hpp"
#include "common/strings.hpp"
#include "controller/agent_client.hpp"
#include "controller/app.hpp"

namespace edgeml::controller {

Device find_device(store::Store& db, const std::string& ref, const std::string& field) {
  if (auto id = parse_int(ref)) {
    if (auto d = db.devices().by_id(*id)) return *d;
  }
  if (auto d = db.devices().by_name(ref)) return *d;
  throw NotFoundError("no registered device '" + ref + "'", field);
}

Device device_from_path(store::Store& db, const std::string& id) { return find_device(db, id, "id"); }

Device device_for_address(ControllerApp& app, const std::string& address, const std::string& device_type,
                          const std::string& field) {
  std::string full = address.find(':') == std::string::npos ? address + ":8000" : address;
  split_address(full, field);  // validates
  if (auto d = app.store().devices().by_address(full)) return *d;
  Device d;
  d.name = full;
  for (auto& c : d.name)
    if (c == ':') c = '_';
  d.address = full;
  d.device_type = app.resolve_device(device_type);
  d.created_at = app.clock().now_s();
  return app.store().devices().add(d);
}

}  // namespace edgeml::controller
