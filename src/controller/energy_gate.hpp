#pragma once
// Step 1 of a deployment: how much energy the model costs on the device's type, and whether that fits the budget.
// The catalog's measured figure wins; a model the catalog lacks is inspected and priced by the static predictor;
// with neither, the figure is unavailable and says why, and --unknown-energy decides (allow | warn | refuse). All
// figures are in mWh per measured run, the unit the original max_energy budget compares against.
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

// Measured, from the catalog: the newest clean fleet/API row of this model on this device type (the device as it runs
// now), else its first row with an energy figure; nullopt when none has one.
std::optional<EnergyFigure> measured_energy(const catalog::Catalog& catalog, const std::string& model,
                                            const std::string& device_type);
// Static prediction from the inspected file (nullptr predictors -> unavailable with a reason).
EnergyFigure predicted_energy(const predictor::PredictorSet* predictors, const onnx::InspectResult& inspected,
                              const std::string& device_type);

// What the gate does when a budget is given but the model's energy on the device is unknown (--unknown-energy).
enum class UnknownEnergyPolicy { allow, warn, refuse };
// "allow" | "warn" | "refuse"; FieldError(field) otherwise.
UnknownEnergyPolicy parse_unknown_energy_policy(const std::string& text, const std::string& field = "unknown_energy");
const char* to_string(UnknownEnergyPolicy policy);

// The gate step's outcome, recorded as its status:
//   passed   -- a figure was compared with the budget and fits;
//   skipped  -- nothing was compared: no budget given, or the energy is unknown and the policy is allow/warn;
//   rejected -- over the budget, or unknown under --unknown-energy refuse, and not forced;
//   forced   -- it would have been rejected, and force overrode that.
struct GateDecision {
  bool allowed = true;
  std::string outcome;
  std::string reason;
  std::string warning;  // for the deploy answer: energy unknown under the warn policy
};
GateDecision decide(const EnergyFigure& e, std::optional<double> max_energy, bool force,
                    UnknownEnergyPolicy unknown = UnknownEnergyPolicy::warn);

}  // namespace edgeml::controller
