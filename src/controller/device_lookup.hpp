#pragma once
// Which registered device a request means: by id or name ("device"), or by the original API's bbb_ip (an agent
// address; a device not yet registered is registered under its address, as the original deployed to any IP).
#include <nlohmann/json.hpp>
#include <string>

#include "controller/records_json.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

class ControllerApp;

// Id (digits) or name; NotFoundError(field) when unknown.
Device find_device(store::Store& db, const std::string& ref, const std::string& field = "device");
// From a path parameter (/api/devices/<id or name>); NotFoundError("id").
Device device_from_path(store::Store& db, const std::string& id);
// An address ("host" or "host:port", default port 8000) -> the device registered there, or a new one.
Device device_for_address(ControllerApp& app, const std::string& address, const std::string& device_type,
                          const std::string& field = "bbb_ip");

}  // namespace edgeml::controller
