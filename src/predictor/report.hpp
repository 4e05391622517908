#pragma once
// Plain-text CV tables for people (edgeml train, logs).
#include <string>
#include <vector>

#include "predictor/energy_model.hpp"

namespace edgeml::predictor {

// One table: formulation x (R2, MAE, MAPE +- sd, median APE, within 10%, within 20%); the chosen row is marked '*'.
std::string format_cv_table(const std::string& title, const std::vector<CvRow>& rows, const std::string& chosen);
// The chosen formulation's held-out figures, one line per evaluation: k-fold, families held out, and (when run) nested
// k-fold and nested family CV -- MAPE, within +-10%, Spearman, interval coverage measured on held-out rows, x/÷ factor.
std::string format_held_out_summary(const EnergyModel& m);
// Both tables of a trained predictor, the choice, the interval calibration and the held-out summary.
std::string format_model_report(const EnergyModel& m);

}  // namespace edgeml::predictor
