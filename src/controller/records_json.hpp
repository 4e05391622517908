#pragma once
// The stored records (src/store) as the controller's API shows them. The record types are the store's; the JSON field
// names are the API's (device_ip, model, force, ... as the original system named them).
#include <nlohmann/json.hpp>
#include <vector>

#include "store/records.hpp"

namespace edgeml::controller {

using store::DeploymentRecord;
using store::Device;
using store::StepRecord;
using store::TelemetrySample;

nlohmann::json to_json(const Device& d);  // no token, only has_token
nlohmann::json to_json(const DeploymentRecord& r, const std::vector<StepRecord>& steps);
nlohmann::json to_json(const TelemetrySample& s);

}  // namespace edgeml::controller
