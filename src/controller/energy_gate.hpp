#pragma once
// Step 1 of a deployment: how much energy the model costs on the device's type, and whether that fits the budget.
// The catalog's measured figure wins; a model the catalog lacks is inspected and priced by the static predictor;
// with neither, the figure is unavailable and says why. All figures are in mWh per measured run, the unit the
// original max_energy budget compares against.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/catalog.hpp"

namespace edgeml::predictor {
class PredictorSet;
}
namespace edgeml::onnx {
struct InspectResult;
}

namespace edgeml::controller {

struct EnergyFigure {
  std::optional<double> mwh;
  std::string source;  // measured | predicted | unavailable
  std::string reason;  // why unavailable, or what it is based on
  std::optional<double> per_inference_mj;
  nlohmann::json to_json() const;
};

// Measured from the catalog row of this model on this device type, or nullopt.
std::optional<EnergyFigure> measured_energy(const catalog::Catalog& catalog, const std::string& model,
                                            const std::string& device_type);
// Static prediction from the inspected file (nullptr predictors -> unavailable with a reason).
EnergyFigure predicted_energy(const predictor::PredictorSet* predictors, const onnx::InspectResult& inspected,
                              const std::string& device_type);

struct GateDecision {
  bool allowed = true;
  std::string reason;
};
// Over budget (or unknown energy with a budget) is refused unless forced.
GateDecision decide(const EnergyFigure& e, std::optional<double> max_energy, bool force);

}  // namespace edgeml::controller
