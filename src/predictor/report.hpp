#pragma once
// Plain-text CV tables for people (edgeml train, logs).
#include <string>
#include <vector>

#include "predictor/energy_model.hpp"

namespace edgeml::predictor {

// One table: formulation x (R2, MAE, MAPE +- sd, median APE, within 10%, within 20%); the chosen row is marked '*'.
std::string format_cv_table(const std::string& title, const std::vector<CvRow>& rows, const std::string& chosen);
// Both tables of a trained predictor, the choice and the interval calibration.
std::string format_model_report(const EnergyModel& m);

}  // namespace edgeml::predictor
