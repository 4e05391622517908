#include "catalog/validation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "catalog/repair.hpp"
#include "common/strings.hpp"

namespace edgeml::catalog {

namespace {

std::string watts(double w) { return format_number(w, 2) + " W"; }

void check_required(ModelRow& row) {
  if (trim(row.model).empty()) row.add_flag(kFlagInvalidValue, "column model: missing");
  const std::pair<const char*, const std::optional<double>*> required[] = {
      {"params_m", &row.params_m}, {"gflops", &row.gflops}, {"gmacs", &row.gmacs}, {"size_mb", &row.size_mb}};
  for (auto [name, value] : required) {
    // A cell already reported as not-a-number is not reported twice.
    const std::string column = std::string("column ") + name + ":";  // (clang 14 cannot capture a structured binding)
    bool already =
        std::any_of(row.flags.begin(), row.flags.end(), [&](const Flag& f) { return f.detail.rfind(column, 0) == 0; });
    if (!*value && !already) row.add_flag(kFlagInvalidValue, column + " missing");
  }
  if (!row.latency_avg_s && !row.duration_avg_s)
    row.add_flag(kFlagInvalidValue, "column latency_avg_s: missing (and no duration_avg_s)");
  if (!row.energy_avg_mwh) {
    if (!row.notes.empty())
      row.add_flag(kFlagNoEnergy, row.notes);
    else
      row.add_flag(kFlagInvalidValue, "column energy_avg_mwh: missing");
  }
}

// Implied average power of one measured run: the unit check that works on these files (throughput is stored as
// 1/latency, so latency x throughput = 1 catches nothing).
void check_power(ModelRow& row, const DeviceProfile& p) {
  if (!row.energy_avg_mwh || *row.energy_avg_mwh <= 0) return;
  const double joules = *row.energy_avg_mwh * 3.6;
  auto plausible = [&](double w) { return w >= p.power_min_w && w <= p.power_max_w; };
  const std::string window = format_number(p.power_min_w) + "-" + format_number(p.power_max_w) + " W";

  if (row.latency_avg_s && *row.latency_avg_s > 0) {
    const bool n_given = row.iterations_per_measurement.has_value() && *row.iterations_per_measurement > 0;
    const int n = n_given ? *row.iterations_per_measurement : p.default_iterations;
    if (!n_given) row.iterations_per_measurement = n;  // the original project's fixed window; stated in the detail
    const double power = joules / (*row.latency_avg_s * n);
    row.avg_power_w = power;
    row.energy_per_inference_mj = *row.energy_avg_mwh * 3600.0 / n;
    if (!plausible(power)) {
      std::string detail = "implied power " + watts(power) + " outside " + window + " (E x 3.6 / (latency x " +
                           std::to_string(n) + (n_given ? ")" : ", N assumed: no iterations_per_measurement column)") +
                           ")";
      row.add_flag(kFlagPowerImplausible, detail);
      const double as_run = joules / *row.latency_avg_s;
      if (plausible(as_run))
        row.add_flag(kFlagLatencyIsRunDuration,
                     "reading latency_avg_s as the whole run's duration gives " + watts(as_run) + ", inside " + window);
    }
  } else if (row.duration_avg_s && *row.duration_avg_s > 0) {
    const double power = joules / *row.duration_avg_s;
    row.avg_power_w = power;
    if (!plausible(power))
      row.add_flag(kFlagPowerImplausible,
                   "implied power " + watts(power) + " outside " + window + " (E x 3.6 / duration_avg_s)");
  }
}

void check_flops_macs(ModelRow& row, const Thresholds& t) {
  if (!row.gflops || !row.gmacs || *row.gmacs <= 0) return;
  const double expected = 2.0 * *row.gmacs;
  const double rel = std::abs(*row.gflops - expected) / expected;
  if (rel > t.flops_macs_tolerance)
    row.add_flag(kFlagFlopsMacsMismatch, "gflops " + format_number(*row.gflops, 4) + " vs 2 x gmacs " +
                                             format_number(expected, 4) + " (" + format_number(rel * 100, 1) +
                                             "% off)");
}

void check_runs(ModelRow& row, const Thresholds& t) {
  const auto& runs = row.energy_runs_mwh;
  if (runs.size() < 2) return;
  const double mean = std::accumulate(runs.begin(), runs.end(), 0.0) / runs.size();
  if (mean <= 0) return;
  // Spread = sample standard deviation / mean (coefficient of variation), as energy_std_mwh is reported.
  double ss = 0;
  for (double v : runs) ss += (v - mean) * (v - mean);
  const double spread = std::sqrt(ss / static_cast<double>(runs.size() - 1)) / mean;
  if (spread > t.unstable_spread)
    row.add_flag(kFlagUnstableEnergy, "run-to-run spread (std/mean) " + format_number(spread * 100, 1) + "%");
  if (row.energy_avg_mwh) {
    const double rel = std::abs(*row.energy_avg_mwh - mean) / mean;
    if (rel > t.avg_mismatch && row.repaired() && !row.has_flag(kFlagPowerImplausible)) {
      // Part of the params_gflops_swapped rule: energy_avg_mwh (plausible power) is kept, the runs are not used.
      std::string note = "energy_avg_mwh " + format_number(*row.energy_avg_mwh, 3) + " kept; mean of the run columns " +
                         format_number(mean, 3) + " (" + format_number(rel * 100, 1) + "% off) not used";
      if (auto run_s = row.run_seconds(); run_s && *run_s > 0)
        note += " (it would imply " + format_number(mean * 3.6 / *run_s, 2) + " W)";
      row.repairs.back().detail += "; " + note;
    } else if (rel > t.avg_mismatch) {
      row.add_flag(kFlagAvgMismatch, "energy_avg_mwh " + format_number(*row.energy_avg_mwh, 3) + " vs mean of runs " +
                                         format_number(mean, 3) + " (" + format_number(rel * 100, 1) + "% off)");
    }
  }
}

}  // namespace

void validate_row(ModelRow& row, const DeviceProfile& profile, const Thresholds& thresholds) {
  check_required(row);
  check_power(row, profile);
  repair_params_gflops_swap(row, thresholds);
  check_flops_macs(row, thresholds);
  check_runs(row, thresholds);
}

}  // namespace edgeml::catalog
