#pragma once
// The fleet/energy report's inputs read from the controller's store (telemetry, deployments, alert history) for a
// time range and a scope; report::build_report does the rest.
#include "report/report_builder.hpp"
#include "report/report_request.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

// Telemetry of long ranges is read as averages of `step` seconds (at most ~50,000 rows per device); the online-time
// gap then grows with the step so averaged buckets do not count as offline.
report::ReportInputs report_inputs_from_store(store::Store& db, const report::ReportRequest& request, double now_s);

}  // namespace edgeml::controller
