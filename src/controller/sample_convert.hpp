#pragma once
// A wire telemetry sample (wire/telemetry_sample.hpp, what both transports produce: the LAN poller through
// wire::sample_from_agent_telemetry, MQTT agents in their batches) as the controller stores it. The time is the
// agent's own (when it took the sample), never the controller's.
#include <string>

#include "store/records.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::controller {

// stream "" and seq 0 (the LAN poller): stored without a sequence number.
store::TelemetrySample to_stored_sample(long long device_id, const wire::TelemetrySample& s,
                                        const std::string& stream = "");

}  // namespace edgeml::controller
