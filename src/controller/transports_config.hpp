#pragma once
// The controller's transports from its configuration (--mqtt and friends, broker credentials from the environment).
#include <memory>

#include "controller/config.hpp"
#include "controller/deployer.hpp"
#include "controller/transports.hpp"

namespace edgeml::controller {

// Throws FieldError naming the flag or variable.
std::unique_ptr<ControllerTransports> make_transports(const Config& config, store::Store& db, EventHub& events,
                                                      const Clock& clock, const DeploySettings& deploy);

}  // namespace edgeml::controller
