#pragma once
// The fleet as Prometheus metrics, appended to the controller's /metrics: devices registered by status, each device's
// reachability and last contact, and deployments recorded by status (the deploy/grafana dashboard charts them).
// Agents export their own telemetry on their /metrics; GET /api/prometheus/targets lists them for Prometheus'
// HTTP service discovery (deploy/prometheus/prometheus.yml).
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"

namespace edgeml::controller {

std::string fleet_metrics(store::Store& db);
// [{"targets": ["host:port"], "labels": {"device", "device_id", "device_type", "group"}}], the format of Prometheus'
// http_sd_configs; devices without an HTTP address (other transports) are left out.
nlohmann::json prometheus_targets(store::Store& db);

}  // namespace edgeml::controller
