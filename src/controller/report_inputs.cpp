#include "controller/report_inputs.hpp"

#include <algorithm>
#include <map>

#include "alerts/evaluator.hpp"
#include "controller/alerting.hpp"

namespace edgeml::controller {

namespace {
constexpr double kMaxRowsPerDevice = 50000;
constexpr long long kMaxDeployments = 100000;
constexpr long long kMaxAlerts = 100000;
}  // namespace

report::ReportInputs report_inputs_from_store(store::Store& db, const report::ReportRequest& request, double now_s) {
  report::ReportInputs in;
  in.range = request.range;
  in.scope = request.scope;
  in.generated_at_s = now_s;
  double step = in.range.length_s() / kMaxRowsPerDevice;
  if (step < 1) step = 0;  // short ranges: every raw sample
  in.max_gap_s = std::max(in.max_gap_s, 2 * step);

  std::map<long long, std::string> names;
  for (const auto& d : db.devices().all()) {
    DeviceIdentity id = device_identity(d);
    in.devices.push_back(id);
    names[d.id] = d.name;
    if (!request.scope.matches(id)) continue;
    for (const auto& s : db.telemetry().range(d.id, in.range.from_s, in.range.to_s, step)) {
      report::SampleRow row;
      row.device = d.name;
      row.t_s = s.t;
      row.power_w = s.power_w;
      row.temperature_c = s.temp_c;
      if (s.energy_per_inference_j) row.energy_per_inference_mj = *s.energy_per_inference_j * 1000.0;
      row.active_model = s.active_model;
      in.samples.push_back(std::move(row));
    }
  }
  for (const auto& r : db.deployments().started_before(in.range.to_s, kMaxDeployments)) {
    if (r.kind != "deploy") continue;
    in.deployments.push_back(
        {r.device_name, r.model_name, r.finished_at.value_or(r.started_at), r.status, r.predicted_per_inference_mj});
  }
  for (const auto& h : db.alerts().history(in.range.from_s, in.range.to_s, kMaxAlerts)) {
    auto t = alerts::transition_from_json(nlohmann::json::parse(h.transition_json));
    // The report counts and lists alerts that fired and resolved; a repeat is a reminder of one already counted.
    if (t.kind == alerts::TransitionKind::pending || t.kind == alerts::TransitionKind::repeat) continue;
    const auto& metric = alerts::info(t.metric);
    in.alerts.push_back(
        {t.at_s, t.rule, t.device, t.status(), alerts::to_string(t.severity), metric.name, metric.unit, t.value});
  }
  return in;
}

}  // namespace edgeml::controller
