#include "telemetry/power_total.hpp"

namespace edgeml::telemetry {

bool is_total_rail_name(const std::string& rail) { return rail == "POM_5V_IN" || rail == "VDD_IN" || rail == "VIN"; }

void choose_power_total(PowerSection& power) {
  for (auto& r : power.rails) {
    if (is_total_rail_name(r.rail) && r.watts) {
      r.is_total = true;
      power.total_watts = r.watts;
      power.total_method = "rail " + r.rail;
      return;
    }
  }
  double sum = 0;
  int n = 0;
  for (const auto& r : power.rails)
    if (r.watts) {
      sum += *r.watts;
      ++n;
    }
  if (n == 1) {
    for (auto& r : power.rails) r.is_total = r.watts.has_value();
    power.total_watts = sum;
    power.total_method = "only rail";
  } else if (n > 1) {
    power.total_watts = sum;
    power.total_method = "sum of " + std::to_string(n) + " rails (no total rail)";
  }
}

}  // namespace edgeml::telemetry
