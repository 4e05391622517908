#include "controller/energy_gate.hpp"

#include "common/strings.hpp"
#include "onnx/inspector.hpp"
#include "predictor/predictor_set.hpp"

namespace edgeml::controller {

nlohmann::json EnergyFigure::to_json() const {
  return {{"energy_mwh", mwh ? nlohmann::json(*mwh) : nlohmann::json()},
          {"source", source},
          {"reason", reason},
          {"energy_per_inference_mj", per_inference_mj ? nlohmann::json(*per_inference_mj) : nlohmann::json()}};
}

std::optional<EnergyFigure> measured_energy(const catalog::Catalog& catalog, const std::string& model,
                                            const std::string& device_type) {
  const auto* row = catalog.find(model, device_type);
  if (!row || !row->energy_avg_mwh) return std::nullopt;
  EnergyFigure e;
  e.mwh = row->energy_avg_mwh;
  e.source = "measured";
  e.reason = "catalog row " + row->source + ":" + std::to_string(row->line);
  e.per_inference_mj = row->energy_per_inference_mj;
  return e;
}

EnergyFigure predicted_energy(const predictor::PredictorSet* predictors, const onnx::InspectResult& inspected,
                              const std::string& device_type) {
  EnergyFigure e;
  e.source = "unavailable";
  if (!predictors) {
    e.reason = "no energy predictor is loaded";
    return e;
  }
  if (!inspected.graph_stats) {
    e.reason = "cannot compute static features of a " + inspected.format + " file: " + inspected.unavailable;
    return e;
  }
  predictor::Inputs in;
  in.params_m = inspected.params / 1e6;
  in.gflops = inspected.flops / 1e9;
  in.gmacs = inspected.macs / 1e9;
  in.size_mb = inspected.size_mb;
  try {
    auto p = predictors->predict(device_type, in);
    e.mwh = p.prediction_mwh;
    e.source = "predicted";
    e.reason = std::string(p.predictor) + " predictor for " + std::string(p.device_type) + " (interval " +
               format_number(p.interval_lo_mwh, 3) + "-" + format_number(p.interval_hi_mwh, 3) + " mWh)";
    e.per_inference_mj = p.energy_per_inference_mj;
  } catch (const std::exception& ex) {
    e.reason = ex.what();
  }
  return e;
}

GateDecision decide(const EnergyFigure& e, std::optional<double> max_energy, bool force) {
  if (!max_energy) return {true, "no energy budget given"};
  if (!e.mwh) {
    if (force) return {true, "energy unknown (" + e.reason + "), deployed because force is set"};
    return {false, "the model's energy is unknown on this device (" + e.reason + "); set force to deploy anyway"};
  }
  std::string figures = format_number(*e.mwh, 3) + " mWh (" + e.source + ") against a budget of " +
                        format_number(*max_energy, 3) + " mWh";
  if (*e.mwh <= *max_energy) return {true, "within budget: " + figures};
  if (force) return {true, "over budget, deployed because force is set: " + figures};
  return {false, "over the energy budget: " + figures};
}

}  // namespace edgeml::controller
