#pragma once
// Why a deployment (or rollback) failed, as a closed set the controller records beside the message and the dashboard
// can group by. failure_kind_of() maps the errors the agent's deploy path throws (common/error kinds) to it.
#include <exception>
#include <span>

#include "wire/enum_names.hpp"

namespace edgeml::wire {

enum class FailureKind {
  unreachable,   // the device could not be reached (HTTP: no answer; MQTT: offline until the command expired)
  refused,       // the device refused the command (bad request, busy, nothing to roll back to)
  checksum,      // the downloaded bytes do not have the expected sha256
  disk_full,     // no room for the model on the device
  too_large,     // the model is over the device's size limit
  download,      // the transfer failed (server error, cut short, wrong size)
  activation,    // the model did not load or failed the agent's own test inference
  health_check,  // after activation the runtime does not report the model running
  timeout,       // no result within the deployment's time limit
  expired,       // the command expired before the device took it
  over_budget,   // rejected by the energy gate
  no_artifact,   // no model file to send (not in the store, no source, no zoo architecture)
  interrupted,   // the controller stopped while the deployment ran
  internal,      // a fault of ours
};
std::span<const EnumName<FailureKind>> failure_kind_names();
inline const char* to_string(FailureKind k) { return name_of(failure_kind_names(), k); }
FailureKind parse_failure_kind(std::string_view name, std::string_view field = "failure");

// The kind for an error thrown while fetching, storing or activating a model (edgeml::Error by kind and field;
// anything else is internal).
FailureKind failure_kind_of(const std::exception& e);

}  // namespace edgeml::wire
