#include "controller/energy_gate.hpp"

#include "common/error.hpp"
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
  // The device type as it runs now first: the newest clean fleet/API row of this model; else the first row with an
  // energy figure (a benchmark file's).
  const catalog::ModelRow* row = nullptr;
  bool row_fresh = false;
  for (const auto* r : catalog.rows_for(device_type)) {
    if (r->model != model || !r->energy_avg_mwh) continue;
    const bool fresh = r->provenance.origin != catalog::kOriginFile && r->clean();
    if (fresh && (!row_fresh || r->provenance.measured_at_s.value_or(0) >= row->provenance.measured_at_s.value_or(0))) {
      row = r;
      row_fresh = true;
    } else if (!row) {
      row = r;
    }
  }
  if (!row) return std::nullopt;
  EnergyFigure e;
  e.mwh = row->energy_avg_mwh;
  e.source = "measured";
  e.reason = "catalog row " + row->source + ":" + std::to_string(row->line) +
             (row_fresh ? " (" + row->provenance.origin + " row, the device as it runs now)" : "");
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

UnknownEnergyPolicy parse_unknown_energy_policy(const std::string& text, const std::string& field) {
  if (text == "allow") return UnknownEnergyPolicy::allow;
  if (text == "warn") return UnknownEnergyPolicy::warn;
  if (text == "refuse") return UnknownEnergyPolicy::refuse;
  throw FieldError(field, field + " must be allow, warn or refuse, got '" + text + "'");
}

const char* to_string(UnknownEnergyPolicy policy) {
  switch (policy) {
    case UnknownEnergyPolicy::allow:
      return "allow";
    case UnknownEnergyPolicy::warn:
      return "warn";
    case UnknownEnergyPolicy::refuse:
      return "refuse";
  }
  return "warn";
}

GateDecision decide(const EnergyFigure& e, std::optional<double> max_energy, bool force, UnknownEnergyPolicy unknown) {
  if (!max_energy) return {true, "skipped", "no energy budget given", ""};
  if (!e.mwh) {
    // e.reason (why it is unknown) follows in the step's detail.
    const std::string why = "the model's energy is unknown on this device";
    const std::string policy = std::string(" (--unknown-energy ") + to_string(unknown) + ")";
    switch (unknown) {
      case UnknownEnergyPolicy::allow:
        return {true, "skipped", why + ": not compared with the budget" + policy, ""};
      case UnknownEnergyPolicy::warn:
        return {true, "skipped", why + ": deployed without an energy check" + policy,
                "energy unknown: the budget of " + format_number(*max_energy, 3) + " mWh was not checked (" + e.reason +
                    ")"};
      case UnknownEnergyPolicy::refuse:
        if (force) return {true, "forced", why + "; deployed because force is set" + policy, ""};
        return {false, "rejected", why + "; set force to deploy anyway" + policy, ""};
    }
  }
  std::string figures = format_number(*e.mwh, 3) + " mWh (" + e.source + ") against a budget of " +
                        format_number(*max_energy, 3) + " mWh";
  if (*e.mwh <= *max_energy) return {true, "passed", "within budget: " + figures, ""};
  if (force) return {true, "forced", "over budget, deployed because force is set: " + figures, ""};
  return {false, "rejected", "over the energy budget: " + figures, ""};
}

}  // namespace edgeml::controller
