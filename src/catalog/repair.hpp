#pragma once
// Repairs by stated rule. A repair changes a row only when the rule's evidence is in the row itself, keeps the values
// it replaced (ModelRow::repairs), and says what it saw. Anything that does not meet a rule stays flagged.
#include "catalog/catalog.hpp"

namespace edgeml::catalog {

// fp32 weights take 4 bytes per parameter: 4 MB (3.81 MiB) per million. A .pth checkpoint of P million fp32 parameters
// is size_mb / P within this window (measured on the benchmark files: 3.82-4.00).
inline constexpr double kFp32MbPerMParamMin = 3.7;
inline constexpr double kFp32MbPerMParamMax = 4.1;

// Rule params_gflops_swapped: gflops != 2 x gmacs (beyond the tolerance), size_mb / gflops is what an fp32 checkpoint
// of `gflops` million parameters weighs, and size_mb / params_m is more than any fp32 checkpoint of params_m could
// weigh. Then the gflops column holds the parameter count: params_m := gflops column, gflops := 2 x gmacs.
// In rows with this fault the energy_run columns also disagree with energy_avg_mwh (up to 48%, implying powers the
// board cannot draw); energy_avg_mwh is kept, and the disagreement is recorded in the repair rather than flagged.
// Returns true when the row was repaired.
bool repair_params_gflops_swap(ModelRow& row, const Thresholds& thresholds);

}  // namespace edgeml::catalog
