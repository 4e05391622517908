#include "report/report_builder.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"

namespace edgeml::report {

namespace {

bool failed(const std::string& status) { return status == "failed" || status == "rejected" || status == "interrupted"; }

// Averages consecutive points into at most max_points time buckets of equal width (the chart's resolution).
std::vector<SeriesPoint> downsample(const std::vector<SeriesPoint>& points, const TimeRange& r, size_t max_points) {
  if (points.size() <= max_points || max_points == 0) return points;
  double width = r.length_s() / static_cast<double>(max_points);
  std::vector<SeriesPoint> out;
  size_t i = 0;
  while (i < points.size()) {
    size_t bucket = static_cast<size_t>(std::floor((points[i].t_s - r.from_s) / width));
    double sum_t = 0, sum_v = 0;
    size_t n = 0;
    for (; i < points.size() && static_cast<size_t>(std::floor((points[i].t_s - r.from_s) / width)) == bucket; ++i) {
      sum_t += points[i].t_s;
      sum_v += points[i].value;
      ++n;
    }
    out.push_back({sum_t / static_cast<double>(n), sum_v / static_cast<double>(n)});
  }
  return out;
}

void stats(const std::vector<SeriesPoint>& s, std::optional<double>& mean, std::optional<double>& max) {
  if (s.empty()) return;
  double sum = 0, m = s.front().value;
  for (const auto& p : s) {
    sum += p.value;
    m = std::max(m, p.value);
  }
  mean = sum / static_cast<double>(s.size());
  max = m;
}

}  // namespace

ReportData build_report(const ReportInputs& in) {
  if (!(in.range.to_s > in.range.from_s)) throw FieldError("to", "'to' must be after 'from'");
  if (!(in.max_gap_s > 0)) throw FieldError("max_gap_s", "'max_gap_s' must be > 0");
  ReportData out;
  out.range = in.range;
  out.scope = to_string(in.scope);
  out.generated_at_s = in.generated_at_s;
  auto inside = [&](double t) { return t >= in.range.from_s && t < in.range.to_s; };

  std::vector<DeviceIdentity> devices;
  for (const auto& d : in.devices)
    if (in.scope.matches(d)) devices.push_back(d);
  std::sort(devices.begin(), devices.end(), [](const auto& a, const auto& b) { return a.name < b.name; });

  // One pass over the samples, by device (a week of a fleet is millions of rows).
  std::map<std::string, std::vector<const SampleRow*>> by_device;
  for (const auto& d : devices) by_device[d.name];
  for (const auto& s : in.samples)
    if (inside(s.t_s))
      if (auto it = by_device.find(s.device); it != by_device.end()) it->second.push_back(&s);

  for (const auto& dev : devices) {
    DeviceSection section;
    section.name = dev.name;
    section.device_type = dev.device_type;
    section.group = dev.group;

    std::vector<const SampleRow*>& samples = by_device[dev.name];
    std::sort(samples.begin(), samples.end(), [](const SampleRow* a, const SampleRow* b) { return a->t_s < b->t_s; });

    // Online time, and which model was active during it (each interval belongs to the model of its first sample).
    std::map<std::string, double> active_s;
    for (size_t i = 0; i + 1 < samples.size(); ++i) {
      double gap = samples[i + 1]->t_s - samples[i]->t_s;
      if (gap > in.max_gap_s) continue;
      section.online_s += gap;
      if (!samples[i]->active_model.empty()) active_s[samples[i]->active_model] += gap;
    }
    std::vector<SeriesPoint> power, temp;
    std::map<std::string, std::pair<double, size_t>> energy;  // model -> (sum, count)
    for (const auto* s : samples) {
      if (s->power_w) power.push_back({s->t_s, *s->power_w});
      if (s->temperature_c) temp.push_back({s->t_s, *s->temperature_c});
      if (!s->active_model.empty()) {
        auto& e = energy[s->active_model];
        if (s->energy_per_inference_mj) {
          e.first += *s->energy_per_inference_mj;
          ++e.second;
        }
      }
    }
    stats(power, section.power_w_mean, section.power_w_max);
    stats(temp, section.temperature_c_mean, section.temperature_c_max);
    section.power_w = downsample(power, in.range, in.max_points_per_series);
    section.temperature_c = downsample(temp, in.range, in.max_points_per_series);
    if (power.empty()) {
      auto reason = in.power_unavailable_reason.find(dev.name);
      section.power_unavailable_reason = reason != in.power_unavailable_reason.end() ? reason->second
                                         : samples.empty() ? "no telemetry from the device in this range"
                                                           : "no power figure in its telemetry";
    }
    if (temp.empty())
      section.temperature_unavailable_reason =
          samples.empty() ? "no telemetry from the device in this range" : "no temperature in its telemetry";

    for (const auto& d : in.deployments)
      if (d.device == dev.name && inside(d.at_s)) {
        ++section.deploys;
        section.deploy_failures += failed(d.status);
      }
    for (const auto& a : in.alerts)
      if (a.device == dev.name && inside(a.at_s) && a.status == "firing") ++section.alerts_fired;

    // One row per model that was active on the device within the range.
    for (const auto& [model, e] : energy) {
      ModelEnergyRow row;
      row.device = dev.name;
      row.device_type = dev.device_type;
      row.model = model;
      row.active_s = active_s.count(model) ? active_s[model] : 0;
      row.measured_samples = e.second;
      if (e.second)
        row.measured_energy_per_inference_mj = e.first / static_cast<double>(e.second);
      else
        row.measured_unavailable_reason =
            "no energy per inference in its telemetry (no power source, or no "
            "inference ran)";
      const DeploymentRow* latest = nullptr;
      for (const auto& d : in.deployments)
        if (d.device == dev.name && d.model == model && d.status == "succeeded" && d.at_s < in.range.to_s &&
            (!latest || d.at_s > latest->at_s))
          latest = &d;
      if (latest && latest->predicted_energy_per_inference_mj)
        row.predicted_energy_per_inference_mj = latest->predicted_energy_per_inference_mj;
      else
        row.predicted_unavailable_reason = latest ? "no prediction was recorded at its deployment"
                                                  : "no successful deployment of it to this device is recorded";
      if (row.measured_energy_per_inference_mj && row.predicted_energy_per_inference_mj &&
          *row.predicted_energy_per_inference_mj > 0)
        row.measured_vs_predicted = *row.measured_energy_per_inference_mj / *row.predicted_energy_per_inference_mj;
      out.models.push_back(row);
    }
    out.devices.push_back(std::move(section));
  }
  for (const auto& a : in.alerts) {
    bool in_scope = std::any_of(devices.begin(), devices.end(), [&](const auto& d) { return d.name == a.device; });
    if (in_scope && inside(a.at_s)) out.alerts.push_back(a);
  }
  std::sort(out.alerts.begin(), out.alerts.end(), [](const AlertRow& a, const AlertRow& b) { return a.at_s < b.at_s; });
  return out;
}

}  // namespace edgeml::report
