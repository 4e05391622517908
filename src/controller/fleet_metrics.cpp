#include "controller/fleet_metrics.hpp"

#include <map>
#include <sstream>

#include "common/strings.hpp"

namespace edgeml::controller {

namespace {

// A label value as the exposition format wants it: backslash, double quote and newline escaped.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string fleet_metrics(store::Store& db) {
  auto devices = db.devices().all();
  std::ostringstream out;
  int online = 0;
  for (const auto& d : devices) online += d.online ? 1 : 0;
  out << "# HELP edgeml_controller_devices Registered devices, by whether the last poll reached them.\n"
      << "# TYPE edgeml_controller_devices gauge\n"
      << "edgeml_controller_devices{status=\"online\"} " << online << "\n"
      << "edgeml_controller_devices{status=\"offline\"} " << devices.size() - online << "\n";
  out << "# HELP edgeml_controller_device_up 1 when the controller's last poll of the device's agent was answered.\n"
      << "# TYPE edgeml_controller_device_up gauge\n";
  for (const auto& d : devices)
    out << "edgeml_controller_device_up{device=\"" << label(d.name) << "\",device_id=\"" << d.id << "\",device_type=\""
        << label(d.device_type) << "\",group=\"" << label(d.group_name) << "\"} " << (d.online ? 1 : 0) << "\n";
  out << "# HELP edgeml_controller_device_last_seen_timestamp_seconds When the device's agent last answered.\n"
      << "# TYPE edgeml_controller_device_last_seen_timestamp_seconds gauge\n";
  for (const auto& d : devices)
    if (d.last_seen)
      out << "edgeml_controller_device_last_seen_timestamp_seconds{device=\"" << label(d.name) << "\",device_id=\""
          << d.id << "\"} " << format_number(*d.last_seen, 3) << "\n";
  std::map<std::string, long long> by_status;
  db.db().with([&](store::Connection& c) {
    for (const auto& row : c.query("SELECT status, COUNT(*) FROM deployments GROUP BY status"))
      by_status[row.text(0)] = row.integer(1);
  });
  out << "# HELP edgeml_controller_deployments Deployments and rollbacks in the log, by status.\n"
      << "# TYPE edgeml_controller_deployments gauge\n";
  for (const char* s : {"running", "succeeded", "failed", "rejected", "skipped", "interrupted"})
    out << "edgeml_controller_deployments{status=\"" << s << "\"} " << by_status[s] << "\n";
  return out.str();
}

nlohmann::json prometheus_targets(store::Store& db) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& d : db.devices().all()) {
    if (d.address.empty()) continue;
    groups.push_back({{"targets", {d.address}},
                      {"labels",
                       {{"device", d.name},
                        {"device_id", std::to_string(d.id)},
                        {"device_type", d.device_type},
                        {"group", d.group_name}}}});
  }
  return groups;
}

}  // namespace edgeml::controller
