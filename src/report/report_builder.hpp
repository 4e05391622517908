#pragma once
// Builds a ReportData from what the controller stores (telemetry samples, deployments, alert history), for a time
// range and a scope. Pure: the caller reads its store and passes the rows in.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/fleet_scope.hpp"
#include "report/report_data.hpp"

namespace edgeml::report {

struct SampleRow {
  std::string device;
  double t_s = 0;
  std::optional<double> power_w, temperature_c, energy_per_inference_mj;
  std::string active_model;  // "" when none was active
};

struct DeploymentRow {
  std::string device, model;
  double at_s = 0;
  std::string status;  // succeeded | failed | rejected | interrupted | running | skipped
  std::optional<double> predicted_energy_per_inference_mj;
};

struct ReportInputs {
  TimeRange range;
  FleetScope scope;
  double generated_at_s = 0;
  std::vector<DeviceIdentity> devices;     // the fleet; the scope picks from it
  std::vector<SampleRow> samples;          // any order; rows outside the range or scope are ignored
  std::vector<DeploymentRow> deployments;  // all known (a prediction may come from before the range)
  std::vector<AlertRow> alerts;            // transitions (firing, repeat, resolved)
  // Why a device has no power figure, when its telemetry said so ("no power sensor found ..."); else a generic reason.
  std::map<std::string, std::string> power_unavailable_reason;
  double max_gap_s = 30;               // a longer gap between two samples counts as offline
  size_t max_points_per_series = 500;  // charts: samples averaged into at most this many points per device
};

// Throws FieldError("from"/"to") when the range is empty or reversed, ("max_gap_s") when not positive.
ReportData build_report(const ReportInputs& in);

}  // namespace edgeml::report
