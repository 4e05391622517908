#include "report/report_data.hpp"

namespace edgeml::report {

const std::vector<std::pair<std::string, std::string>>& report_definitions() {
  static const std::vector<std::pair<std::string, std::string>> defs = {
      {"online_s",
       "Time online, seconds: the sum of the intervals between consecutive telemetry samples of the device that are "
       "at most the polling gap apart; a longer gap counts as offline."},
      {"online_ratio", "Time online divided by the length of the report's time range."},
      {"deploys", "Deployments (and rollbacks) to the device that started within the range."},
      {"deploy_failures", "Of those, the ones that failed, were rejected or were interrupted."},
      {"alerts_fired", "Alerts that started firing on the device within the range (reminders not counted)."},
      {"power_w",
       "Board (or package) power in watts from the device's own power source, as its telemetry reports "
       "it; unavailable on a device without one. Mean and maximum over every sample in the range; charts "
       "average samples into at most a set number of points per device."},
      {"temperature_c", "Hottest temperature sensor of the device in degrees Celsius, as its telemetry reports it."},
      {"measured_energy_per_inference_mj",
       "Gross energy of one inference in millijoules, measured on the device: its energy while inferences ran divided "
       "by their count; the mean of the telemetry samples taken while this model was active."},
      {"predicted_energy_per_inference_mj",
       "Energy of one inference in millijoules predicted for this model and device type when it was deployed (the "
       "latest successful deployment of it to the device)."},
      {"measured_vs_predicted", "Measured divided by predicted energy per inference: 1 = as predicted."},
      {"active_s", "Time online during which this model was the device's active model, seconds."},
  };
  return defs;
}

double online_ratio(const DeviceSection& d, const TimeRange& r) {
  return r.length_s() > 0 ? d.online_s / r.length_s() : 0;
}

}  // namespace edgeml::report
