#include "report/csv_report.hpp"

#include <cstdio>
#include <optional>

#include "common/csv.hpp"
#include "common/strings.hpp"

namespace edgeml::report {

namespace {

std::string full(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

class Writer {
 public:
  Writer() { out_ = "section,device,model,figure,value,unit,time,detail\n"; }
  void row(const std::string& section, const std::string& device, const std::string& model, const std::string& figure,
           const std::string& value, const std::string& unit, const std::string& time, const std::string& detail) {
    const std::string cells[] = {section, device, model, figure, value, unit, time, detail};
    for (size_t i = 0; i < 8; ++i) out_ += (i ? "," : "") + csv_escape(cells[i]);
    out_ += "\n";
  }
  void figure(const std::string& section, const std::string& device, const std::string& model, const std::string& name,
              std::optional<double> v, const std::string& unit, const std::string& reason) {
    row(section, device, model, name, v ? full(*v) : "", unit, "", v ? "" : "unavailable: " + reason);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string render_csv(const ReportData& d) {
  Writer w;
  w.row("report", "", "", "title", d.title, "", "", "");
  w.row("report", "", "", "from", full(d.range.from_s), "s", format_utc(d.range.from_s), "");
  w.row("report", "", "", "to", full(d.range.to_s), "s", format_utc(d.range.to_s), "");
  w.row("report", "", "", "scope", d.scope, "", "", "");
  w.row("report", "", "", "generated", full(d.generated_at_s), "s", format_utc(d.generated_at_s), "");
  for (const auto& [name, text] : report_definitions()) w.row("definition", "", "", name, "", "", "", text);
  for (const auto& dev : d.devices) {
    std::string detail = "device_type=" + dev.device_type + (dev.group.empty() ? "" : " group=" + dev.group);
    w.row("device", dev.name, "", "online_s", full(dev.online_s), "s", "", detail);
    w.row("device", dev.name, "", "online_ratio", full(online_ratio(dev, d.range)), "ratio", "", "");
    w.row("device", dev.name, "", "deploys", std::to_string(dev.deploys), "count", "", "");
    w.row("device", dev.name, "", "deploy_failures", std::to_string(dev.deploy_failures), "count", "", "");
    w.row("device", dev.name, "", "alerts_fired", std::to_string(dev.alerts_fired), "count", "", "");
    w.figure("device", dev.name, "", "power_w_mean", dev.power_w_mean, "W", dev.power_unavailable_reason);
    w.figure("device", dev.name, "", "power_w_max", dev.power_w_max, "W", dev.power_unavailable_reason);
    w.figure("device", dev.name, "", "temperature_c_mean", dev.temperature_c_mean, "°C",
             dev.temperature_unavailable_reason);
    w.figure("device", dev.name, "", "temperature_c_max", dev.temperature_c_max, "°C",
             dev.temperature_unavailable_reason);
  }
  for (const auto& m : d.models) {
    w.row("model", m.device, m.model, "active_s", full(m.active_s), "s", "", "device_type=" + m.device_type);
    w.figure("model", m.device, m.model, "measured_energy_per_inference_mj", m.measured_energy_per_inference_mj, "mJ",
             m.measured_unavailable_reason);
    w.row("model", m.device, m.model, "measured_samples", std::to_string(m.measured_samples), "count", "", "");
    w.figure("model", m.device, m.model, "predicted_energy_per_inference_mj", m.predicted_energy_per_inference_mj, "mJ",
             m.predicted_unavailable_reason);
    w.figure("model", m.device, m.model, "measured_vs_predicted", m.measured_vs_predicted, "factor",
             "needs both the measured and the predicted figure");
  }
  for (const auto& a : d.alerts)
    w.row("alert", a.device, "", a.rule, a.value ? full(*a.value) : "", a.unit, format_utc(a.at_s),
          a.status + " " + a.severity + " " + a.metric);
  for (const auto& dev : d.devices) {
    for (const auto& p : dev.power_w)
      w.row("power_w", dev.name, "", "power_w", full(p.value), "W", format_utc(p.t_s), "");
    for (const auto& p : dev.temperature_c)
      w.row("temperature_c", dev.name, "", "temperature_c", full(p.value), "°C", format_utc(p.t_s), "");
  }
  return w.take();
}

}  // namespace edgeml::report
