#include "catalog/model_row.hpp"

#include <algorithm>

namespace edgeml::catalog {

bool ModelRow::has_flag(const std::string& name) const {
  return std::any_of(flags.begin(), flags.end(), [&](const Flag& f) { return f.name == name; });
}

void ModelRow::add_flag(std::string name, std::string detail) { flags.push_back({std::move(name), std::move(detail)}); }

std::optional<double> ModelRow::run_seconds() const {
  if (latency_avg_s && iterations_per_measurement && *iterations_per_measurement > 0)
    return *latency_avg_s * *iterations_per_measurement;
  if (duration_avg_s) return duration_avg_s;
  return std::nullopt;
}

bool ModelRow::energy_per_run_only() const {
  if (!has_flag(kFlagLatencyIsRunDuration)) return false;
  return std::all_of(flags.begin(), flags.end(), [](const Flag& f) {
    return f.name == kFlagLatencyIsRunDuration || f.name == kFlagPowerImplausible;
  });
}

std::optional<double> ModelRow::run_duration_s() const {
  if (duration_avg_s) return duration_avg_s;
  if (has_flag(kFlagLatencyIsRunDuration)) return latency_avg_s;
  return run_seconds();
}

}  // namespace edgeml::catalog
