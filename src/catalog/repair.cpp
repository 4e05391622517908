#include "catalog/repair.hpp"

#include <cmath>

#include "common/strings.hpp"

namespace edgeml::catalog {

bool repair_params_gflops_swap(ModelRow& row, const Thresholds& t) {
  if (!row.params_m || !row.gflops || !row.gmacs || !row.size_mb) return false;
  const double params = *row.params_m, gflops = *row.gflops, gmacs = *row.gmacs, size = *row.size_mb;
  if (params <= 0 || gflops <= 0 || gmacs <= 0 || size <= 0) return false;
  const double flops_off = std::abs(gflops - 2 * gmacs) / (2 * gmacs);
  if (flops_off <= t.flops_macs_tolerance) return false;
  const double mb_per_gflops_col = size / gflops, mb_per_params_col = size / params;
  if (mb_per_gflops_col < kFp32MbPerMParamMin || mb_per_gflops_col > kFp32MbPerMParamMax) return false;
  if (mb_per_params_col <= kFp32MbPerMParamMax) return false;  // params_m already fits the file: not this fault

  Repair r;
  r.rule = kRepairParamsGflopsSwapped;
  r.original = {{"params_m", params}, {"gflops", gflops}};
  r.detail = "gflops " + format_number(gflops, 4) + " vs 2 x gmacs " + format_number(2 * gmacs, 4) + " (" +
             format_number(flops_off * 100, 1) + "% off); size_mb / gflops = " + format_number(mb_per_gflops_col, 2) +
             " MB per million (an fp32 checkpoint), size_mb / params_m = " + format_number(mb_per_params_col, 1) +
             ": params_m := " + format_number(gflops, 4) +
             " (gflops column), gflops := 2 x gmacs = " + format_number(2 * gmacs, 4);
  row.params_m = gflops;
  row.gflops = 2 * gmacs;
  row.repairs.push_back(std::move(r));
  return true;
}

}  // namespace edgeml::catalog
